package io.tributary.trainer.strategy;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.replica.sync.SyncStep;

import java.util.List;

/** {@code strategy.type: sync}: every step is the exact synchronous step; nodes are compared at every check. */
final class SyncStrategy extends SyncStepStrategy
{
    private final List<NodeState> parts;

    SyncStrategy(final StrategyContext context)
    {
        super(new SyncStep(context.replicas(), context.threads(), context.scheme().scheme(), context.phases()));
        this.parts = context.scheme().stateParts();
    }

    @Override
    public List<NodeState> stateParts()
    {
        return parts;
    }
}
