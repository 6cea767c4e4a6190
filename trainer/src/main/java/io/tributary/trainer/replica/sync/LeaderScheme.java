package io.tributary.trainer.replica.sync;

import io.tributary.trainer.metrics.Phase;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The node leader's scheme: the non-empty replicas' gradients are summed, left to right in replica order, into
 * replica 0's gradient view (one copy fewer per step, none at all on one device); the {@link GradientReducer}
 * makes that sum global in place (one ring among node leaders); then replicas 1..R-1 copy it.
 */
public final class LeaderScheme implements SyncScheme
{
    private final GradientReducer reducer;
    private final StepPhases phases;
    private final ReplicaGradientSum replicaSum;
    private final GlobalSumCopy copy;
    private final IntraCompression intra;

    /**
     * @param nodeGradientSum the caller closes it
     * @param reducer         closed with this scheme
     */
    public LeaderScheme(final DeviceReplica[] replicas, final ReplicaThreads threads,
        final NodeGradientSum nodeGradientSum, final GradientReducer reducer, final StepPhases phases)
    {
        this(replicas, threads, nodeGradientSum, reducer, phases, null);
    }

    /** @param intra the replicas' codecs (null: exact), closed with this scheme */
    public LeaderScheme(final DeviceReplica[] replicas, final ReplicaThreads threads,
        final NodeGradientSum nodeGradientSum, final GradientReducer reducer, final StepPhases phases,
        final IntraCompression intra)
    {
        this.intra = intra;
        this.reducer = reducer;
        this.phases = phases;
        this.replicaSum = new ReplicaGradientSum(replicas, nodeGradientSum);
        this.copy = new GlobalSumCopy(replicas, threads, phases);
    }

    @Override
    public void afterBackward(final int replica, final long globalStep)
    {
        if (intra != null)
        {
            intra.compress(replica, globalStep);
        }
    }

    @Override
    public void reduce(final long step, final long globalStep)
    {
        final long start = System.nanoTime();
        final INDArray nodeSum = replicaSum.sum();
        final long summed = System.nanoTime();
        phases.event(step, 0, Phase.INTRA, start, summed);

        reducer.allReduce(nodeSum, globalStep);
        final long reduced = System.nanoTime();
        phases.event(step, 0, Phase.INTER, summed, reduced);
        phases.duration(Phase.INTER, reduced - summed);

        copy.run(step);
        phases.duration(Phase.INTRA, summed - start + System.nanoTime() - reduced);
    }

    @Override
    public void verifyChecksum(final long step, final long checksum)
    {
        reducer.verifyChecksum(step, checksum);
    }

    @Override
    public void close()
    {
        reducer.close();
        if (intra != null)
        {
            intra.close();
        }
    }
}
