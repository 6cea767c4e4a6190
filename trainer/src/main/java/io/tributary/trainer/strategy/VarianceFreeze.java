package io.tributary.trainer.strategy;

import io.tributary.trainer.model.ModelException;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;

/**
 * {@code strategy.freeze_variance_after: S} under sync: from global step S on, every replica's Adam keeps the
 * second moment the first S steps left it. A resumed run past S freezes at its first step, from the v its
 * checkpoint holds, which is that same v.
 */
final class VarianceFreeze
{
    private final DeviceReplica[] replicas;
    private final ReplicaThreads threads;
    private final int freezeAfter;
    private final ReplicaThreads.Task freezeTask = this::freeze;
    private boolean frozen;

    /** @param freezeAfter at least 1: the steps whose last v is frozen */
    VarianceFreeze(final DeviceReplica[] replicas, final ReplicaThreads threads, final int freezeAfter)
    {
        if (freezeAfter < 1)
        {
            throw new IllegalArgumentException("a frozen variance needs steps before it, got " + freezeAfter);
        }
        if (replicas[0].model().adamBlocks() == 0)
        {
            throw new ModelException("strategy.freeze_variance_after: the model's updater has no Adam block to " +
                "freeze (a model file brings its own updater; use Adam or drop freeze_variance_after)");
        }
        this.replicas = replicas;
        this.threads = threads;
        this.freezeAfter = freezeAfter;
    }

    /** Before global step {@code globalStep}'s update: freezes on the replicas' own threads once it is due. */
    void beforeStep(final long globalStep)
    {
        if (frozen || globalStep < freezeAfter)
        {
            return;
        }
        threads.runOnAll(freezeTask);
        frozen = true;
    }

    private void freeze(final int replica)
    {
        replicas[replica].model().freezeAdamVariance(freezeAfter - 1);
    }
}
