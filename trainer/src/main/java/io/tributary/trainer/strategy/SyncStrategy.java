package io.tributary.trainer.strategy;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.replica.sync.SyncStep;

import java.util.List;

/** {@code strategy.type: sync}: every step is the exact synchronous step; nodes are compared at every check. */
final class SyncStrategy implements StepStrategy
{
    private final SyncStep step;
    private final List<NodeState> parts;

    SyncStrategy(final StrategyContext context)
    {
        this.step = new SyncStep(context.replicas(), context.threads(), context.scheme().scheme(), context.phases());
        this.parts = context.scheme().stateParts();
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
    public List<NodeState> stateParts()
    {
        return parts;
    }
}
