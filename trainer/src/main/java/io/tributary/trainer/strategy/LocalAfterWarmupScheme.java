package io.tributary.trainer.strategy;

import io.tributary.trainer.replica.sync.SyncScheme;

/**
 * Local SGD's reduction: the job's own scheme (the global sum) for the first {@code warmupSteps} global steps,
 * the node's sum alone after them. Node checksums always go through the job's scheme; the strategy decides when
 * nodes are comparable.
 */
final class LocalAfterWarmupScheme implements SyncScheme
{
    private final SyncScheme global;
    private final SyncScheme nodeOnly;
    private final long warmupSteps;

    /** @param global the trainer closes it; {@code nodeOnly} is closed with this scheme */
    LocalAfterWarmupScheme(final SyncScheme global, final SyncScheme nodeOnly, final long warmupSteps)
    {
        this.global = global;
        this.nodeOnly = nodeOnly;
        this.warmupSteps = warmupSteps;
    }

    private SyncScheme at(final long globalStep)
    {
        return globalStep < warmupSteps ? global : nodeOnly;
    }

    @Override
    public void beforeCompute(final long step, final long globalStep)
    {
        at(globalStep).beforeCompute(step, globalStep);
    }

    @Override
    public void afterBackward(final int replica, final long globalStep)
    {
        at(globalStep).afterBackward(replica, globalStep);
    }

    @Override
    public void reduce(final long step, final long globalStep)
    {
        at(globalStep).reduce(step, globalStep);
    }

    @Override
    public void verifyChecksum(final long step, final long checksum)
    {
        global.verifyChecksum(step, checksum);
    }

    @Override
    public void close()
    {
        nodeOnly.close();
    }
}
