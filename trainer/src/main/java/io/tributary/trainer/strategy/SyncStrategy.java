package io.tributary.trainer.strategy;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.replica.sync.SyncStep;

import java.util.List;

/**
 * {@code strategy.type: sync}: every step is the exact synchronous step; nodes are compared at every check. With
 * {@code freeze_variance_after}, Adam's second moment is frozen after that step ({@link VarianceFreeze}).
 */
final class SyncStrategy extends SyncStepStrategy
{
    private final List<NodeState> parts;
    private final VarianceFreeze freeze;

    SyncStrategy(final StrategyContext context)
    {
        super(new SyncStep(context.replicas(), context.threads(), context.scheme().scheme(), context.phases()));
        this.parts = context.scheme().stateParts();
        final var schedule = context.config().strategy().schedule();
        this.freeze = schedule.freezeVarianceAfter() > 0 ?
            new VarianceFreeze(context.replicas(), context.threads(), schedule.freezeVarianceAfter()) : null;
    }

    @Override
    public double step(final ExampleSet examples, final int[] order, final int from, final int size, final int epoch,
        final int globalExamples)
    {
        if (freeze != null)
        {
            freeze.beforeStep(step.globalStep());
        }
        return super.step(examples, order, from, size, epoch, globalExamples);
    }

    @Override
    public List<NodeState> stateParts()
    {
        return parts;
    }
}
