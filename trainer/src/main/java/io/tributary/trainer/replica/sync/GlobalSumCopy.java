package io.tributary.trainer.replica.sync;

import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.replica.kernels.HostArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;

/**
 * The last part of every scheme: replicas 1..R-1 copy the global sum from replica 0's gradient view, each on
 * its own thread. Every copy must be taken before replica 0's updater rewrites the sum in place. The copy is
 * a bulk copy between direct-buffer views of the host arrays, made again only when DL4J hands a replica a
 * new gradient array, so a warm step allocates nothing here (ND4J's assign allocates per call). Under the
 * CUDA backend the arrays live in device memory, where ND4J's assign copies them.
 */
final class GlobalSumCopy
{
    private final DeviceReplica[] replicas;
    private final ReplicaThreads threads;
    private final StepPhases phases;
    private final ReplicaThreads.Task copyTask = this::copy;
    private final INDArray[] viewed;
    private final ByteBuffer[] views;
    private final boolean host = Nd4j.getEnvironment().isCPU();
    private INDArray globalSum;
    private long step;

    GlobalSumCopy(final DeviceReplica[] replicas, final ReplicaThreads threads, final StepPhases phases)
    {
        this.replicas = replicas;
        this.threads = threads;
        this.phases = phases;
        this.viewed = new INDArray[replicas.length];
        this.views = new ByteBuffer[replicas.length];
    }

    void run(final long step)
    {
        if (replicas.length > 1)
        {
            this.step = step;
            if (host)
            {
                refresh(0);
            }
            else
            {
                globalSum = replicas[0].model().flatGradients();
            }
            threads.runOnAll(copyTask);
        }
    }

    private void copy(final int replica)
    {
        if (replica > 0)
        {
            final long start = System.nanoTime();
            if (host)
            {
                refresh(replica);
                if (viewed[replica] != viewed[0])
                {
                    views[replica].put(0, views[0], 0, views[0].capacity());
                }
            }
            else if (replicas[replica].model().flatGradients() != globalSum)
            {
                replicas[replica].model().flatGradients().assign(globalSum);
            }
            phases.copyEvent(step, replica, start, System.nanoTime());
        }
    }

    private void refresh(final int replica)
    {
        final INDArray gradient = replicas[replica].model().flatGradients();
        if (gradient != viewed[replica])
        {
            views[replica] = HostArrays.floatView(gradient);
            viewed[replica] = gradient;
        }
    }
}
