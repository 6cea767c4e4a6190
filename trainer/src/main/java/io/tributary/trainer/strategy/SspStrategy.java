package io.tributary.trainer.strategy;

import io.tributary.trainer.checkpoint.NodeState;
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
final class SspStrategy extends SyncStepStrategy
{
    private final StaleScheme scheme;
    private final List<NodeState> parts = new ArrayList<>();

    SspStrategy(final StrategyContext context)
    {
        this(context, staleScheme(context));
    }

    private SspStrategy(final StrategyContext context, final StaleScheme scheme)
    {
        super(new SyncStep(context.replicas(), context.threads(), scheme, context.phases()));
        this.scheme = scheme;
        parts.add(scheme);
        parts.addAll(context.scheme().stateParts());
    }

    private static StaleScheme staleScheme(final StrategyContext context)
    {
        if (!(context.scheme().scheme() instanceof StaleScheme stale))
        {
            throw new IllegalArgumentException("ssp needs the stale scheme, got " + context.scheme().scheme());
        }
        return stale;
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
