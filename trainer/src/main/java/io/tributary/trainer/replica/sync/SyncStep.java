package io.tributary.trainer.replica.sync;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.trainer.data.BatchSplit;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ParameterChecksum;
import io.tributary.trainer.replica.ReplicaDivergenceException;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.replica.kernels.HostKernelsSum;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact synchronous step. The global batch is cut into slices whose sizes differ by at most one; each
 * replica computes the gradient of the summed loss of its slice; the node sums them into replica 0's
 * gradient view with a {@link NodeGradientSum} (gradient kernels); the reducer makes the sum global; the
 * other replicas copy it; every replica applies the same updater step, dividing by the global example
 * count. The result equals one model trained on the whole batch, up to float summation order.
 */
public final class SyncStep
{
    private final DeviceReplica[] replicas;
    private final ReplicaThreads threads;
    private final GradientReducer reducer;
    private final NodeGradientSum nodeGradientSum;
    private INDArray nodeSum;
    private final INDArray[] nonEmptyGradients;
    private final long[] checksums;
    private final ReplicaThreads.Task computeTask = this::compute;
    private final ReplicaThreads.Task copyTask = this::copy;
    private final ReplicaThreads.Task applyTask = this::apply;
    private final ReplicaThreads.Task checksumTask = this::checksum;
    private ExampleSet data;
    private int[] order;
    private int batchFrom;
    private int batchSize;
    private int epoch;
    private int globalExamples;
    private long steps;

    /** Sums on the host with {@link CpuGradientKernels} (the ND4J CPU backend). */
    public SyncStep(final DeviceReplica[] replicas, final ReplicaThreads threads, final GradientReducer reducer)
    {
        this(replicas, threads, reducer, new HostKernelsSum(new CpuGradientKernels()));
    }

    /** @param nodeGradientSum the caller closes it */
    public SyncStep(final DeviceReplica[] replicas, final ReplicaThreads threads, final GradientReducer reducer,
        final NodeGradientSum nodeGradientSum)
    {
        if (replicas.length != threads.size())
        {
            throw new IllegalArgumentException(replicas.length + " replicas but " + threads.size() + " threads");
        }
        this.replicas = replicas;
        this.threads = threads;
        this.reducer = reducer;
        this.nodeGradientSum = nodeGradientSum;
        this.nonEmptyGradients = new INDArray[replicas.length];
        this.checksums = new long[replicas.length];
    }

    /**
     * Trains on {@code order[from .. from+size)} of {@code examples}.
     *
     * @return the mean loss over this node's examples of the batch
     */
    public double step(final ExampleSet examples, final int[] order, final int from, final int size, final int epoch)
    {
        this.data = examples;
        this.order = order;
        this.batchFrom = from;
        this.batchSize = size;
        this.epoch = epoch;
        threads.runOnAll(computeTask);

        // Replica 0's gradient view (DL4J creates it on the first backward pass) holds the node sum: one copy
        // fewer per step, none at all on one device. Replica 0 always has a non-empty slice.
        nodeSum = replicas[0].model().flatGradients();
        final int localExamples = sumNode();
        globalExamples = reducer.allReduce(nodeSum, localExamples, steps);
        if (replicas.length > 1)
        {
            // Every copy must be taken before replica 0's updater rewrites the sum in place.
            threads.runOnAll(copyTask);
        }
        threads.runOnAll(applyTask);
        steps++;

        double loss = 0;
        for (final DeviceReplica replica : replicas)
        {
            loss += replica.score() * replica.examples();
        }
        return size == 0 ? 0 : loss / size;
    }

    public long steps()
    {
        return steps;
    }

    /** Checksums every replica's parameters; throws {@link ReplicaDivergenceException} unless all are equal. */
    public long verifyReplicas()
    {
        threads.runOnAll(checksumTask);
        for (int i = 1; i < checksums.length; i++)
        {
            if (checksums[i] != checksums[0])
            {
                throw new ReplicaDivergenceException(String.format(
                    "replica parameters diverged after step %d: replica 0 checksum %08x, replica %d checksum %08x",
                    steps, checksums[0], i, checksums[i]));
            }
        }
        reducer.verifyChecksum(steps, checksums[0]);
        return checksums[0];
    }

    /** Sums the non-empty slices' gradients, in replica order, into {@link #nodeSum}; returns their examples. */
    private int sumNode()
    {
        int examples = 0;
        int count = 0;
        for (final DeviceReplica replica : replicas)
        {
            if (replica.examples() > 0)
            {
                nonEmptyGradients[count++] = replica.model().flatGradients();
                examples += replica.examples();
            }
        }
        nodeGradientSum.sum(nonEmptyGradients, count, nodeSum);
        return examples;
    }

    private void compute(final int replica)
    {
        final int from = batchFrom + BatchSplit.sliceStart(batchSize, replicas.length, replica);
        replicas[replica].computeSlice(data, order, from, BatchSplit.sliceSize(batchSize, replicas.length, replica));
    }

    private void copy(final int replica)
    {
        replicas[replica].takeGlobalGradient(nodeSum);
    }

    private void apply(final int replica)
    {
        replicas[replica].applyUpdate(epoch, globalExamples);
    }

    private void checksum(final int replica)
    {
        checksums[replica] = ParameterChecksum.of(replicas[replica].model().params());
    }
}
