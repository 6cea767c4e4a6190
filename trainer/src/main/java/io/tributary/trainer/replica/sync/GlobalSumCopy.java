package io.tributary.trainer.replica.sync;

import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The last part of every scheme: replicas 1..R-1 copy the global sum from replica 0's gradient view, each on
 * its own thread. Every copy must be taken before replica 0's updater rewrites the sum in place.
 */
final class GlobalSumCopy
{
    private final DeviceReplica[] replicas;
    private final ReplicaThreads threads;
    private final StepPhases phases;
    private final ReplicaThreads.Task copyTask = this::copy;
    private INDArray globalSum;
    private long step;

    GlobalSumCopy(final DeviceReplica[] replicas, final ReplicaThreads threads, final StepPhases phases)
    {
        this.replicas = replicas;
        this.threads = threads;
        this.phases = phases;
    }

    void run(final long step)
    {
        if (replicas.length > 1)
        {
            this.step = step;
            this.globalSum = replicas[0].model().flatGradients();
            threads.runOnAll(copyTask);
        }
    }

    private void copy(final int replica)
    {
        if (replica > 0)
        {
            final long start = System.nanoTime();
            replicas[replica].takeGlobalGradient(globalSum);
            phases.copyEvent(step, replica, start, System.nanoTime());
        }
    }
}
