package io.tributary.trainer.strategy;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.replica.sync.StaleScheme;
import io.tributary.trainer.replica.sync.SyncStep;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code strategy.type: ssp}: the sync step over a {@link StaleScheme}, so each global gradient is applied
 * {@code strategy.staleness} steps after it was computed while its reduce runs in the background. At the run's
 * end the gradients still pending are applied, oldest first (drained, not dropped: every example of the run
 * counts once, as under sync). Nodes stay bit-identical, so they are compared at every check.
 */
final class SspStrategy implements StepStrategy
{
    private final SyncStep step;
    private final StaleScheme scheme;
    private final List<NodeState> parts = new ArrayList<>();

    SspStrategy(final StrategyContext context)
    {
        if (!(context.scheme().scheme() instanceof StaleScheme stale))
        {
            throw new IllegalArgumentException("ssp needs the stale scheme, got " + context.scheme().scheme());
        }
        this.scheme = stale;
        this.step = new SyncStep(context.replicas(), context.threads(), scheme, context.phases());
        parts.add(scheme);
        parts.addAll(context.scheme().stateParts());
    }

    @Override
    public double step(final ExampleSet examples, final int[] order, final int from, final int size, final int epoch,
        final int globalExamples)
    {
        return step.step(examples, order, from, size, epoch, globalExamples);
    }

    @Override
    public void startAt(final long globalStep)
    {
        step.startAt(globalStep);
    }

    @Override
    public long steps()
    {
        return step.steps();
    }

    @Override
    public long localExamples()
    {
        return step.localExamples();
    }

    @Override
    public long verify(final long globalStep)
    {
        return step.verifyReplicas(globalStep);
    }

    @Override
    public void settle(final boolean runEnds)
    {
        scheme.quiesce();
        if (runEnds)
        {
            for (int examples = scheme.takePending(); examples > 0; examples = scheme.takePending())
            {
                step.applyUpdate(examples);
            }
        }
    }

    @Override
    public void quiesce()
    {
        scheme.quiesce();
    }

    /** The pending sums first, then the codecs' residuals: the reduces that update those have finished. */
    @Override
    public List<NodeState> stateParts()
    {
        scheme.quiesce();
        return parts;
    }
}
