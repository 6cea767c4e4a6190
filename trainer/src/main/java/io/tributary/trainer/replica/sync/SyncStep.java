package io.tributary.trainer.replica.sync;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.WeightedSplit;
import io.tributary.trainer.metrics.Phase;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.FiniteParameters;
import io.tributary.trainer.replica.ParameterChecksum;
import io.tributary.trainer.replica.ReplicaDivergenceException;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.replica.kernels.HostKernelsSum;

/**
 * The exact synchronous step. This node's slice of the global batch is cut into one slice per replica in
 * proportion to the replicas' shares ({@link WeightedSplit}; equal shares: sizes differ by at most one); each
 * replica computes the gradient of the summed loss of its slice; the {@link SyncScheme}
 * leaves the sum over the whole global batch in every replica's gradient view; every replica applies the same
 * updater step, dividing by the global example count. The result equals one model trained on the whole
 * batch, up to float summation order. A scheme may leave an earlier batch's sum instead, or none
 * ({@link SyncScheme#examplesToApply}): the {@link StaleScheme} of ssp.
 */
public final class SyncStep
{
    private final DeviceReplica[] replicas;
    private final ReplicaThreads threads;
    private final SyncScheme scheme;
    private final StepPhases phases;
    private final long[] checksums;
    private final double[] shares;
    private final ReplicaThreads.Task computeTask = this::compute;
    private final ReplicaThreads.Task applyTask = this::apply;
    private final ReplicaThreads.Task checksumTask = this::checksum;
    private ExampleSet data;
    private int[] order;
    private int batchFrom;
    private int batchSize;
    private int epoch;
    private int globalExamples;
    private long steps;
    private long firstGlobalStep;
    private long localExamples;

    /** Sums on the host with {@link CpuGradientKernels} (the ND4J CPU backend). */
    public SyncStep(final DeviceReplica[] replicas, final ReplicaThreads threads, final GradientReducer reducer)
    {
        this(replicas, threads, reducer, new HostKernelsSum(new CpuGradientKernels()));
    }

    /** The {@link LeaderScheme}, no timeline. @param nodeGradientSum the caller closes it */
    public SyncStep(final DeviceReplica[] replicas, final ReplicaThreads threads, final GradientReducer reducer,
        final NodeGradientSum nodeGradientSum)
    {
        this(replicas, threads, reducer, nodeGradientSum, new StepPhases(0, replicas.length, 0));
    }

    private SyncStep(final DeviceReplica[] replicas, final ReplicaThreads threads, final GradientReducer reducer,
        final NodeGradientSum nodeGradientSum, final StepPhases phases)
    {
        this(replicas, threads, new LeaderScheme(replicas, threads, nodeGradientSum, reducer, phases), phases);
    }

    /**
     * @param scheme records into {@code phases}; the caller closes it
     * @param phases where the step's phase times go
     */
    public SyncStep(final DeviceReplica[] replicas, final ReplicaThreads threads, final SyncScheme scheme,
        final StepPhases phases)
    {
        if (replicas.length != threads.size())
        {
            throw new IllegalArgumentException(replicas.length + " replicas but " + threads.size() + " threads");
        }
        this.replicas = replicas;
        this.threads = threads;
        this.scheme = scheme;
        this.phases = phases;
        this.checksums = new long[replicas.length];
        this.shares = new double[replicas.length];
    }

    /** One node alone: the global batch is this node's slice. */
    public double step(final ExampleSet examples, final int[] order, final int from, final int size, final int epoch)
    {
        return step(examples, order, from, size, epoch, size);
    }

    /**
     * Trains this node's slice {@code order[from .. from+size)} of a global batch of {@code globalExamples}.
     *
     * @return the mean loss over this node's examples of the batch
     */
    public double step(final ExampleSet examples, final int[] order, final int from, final int size, final int epoch,
        final int globalExamples)
    {
        this.data = examples;
        this.order = order;
        this.batchFrom = from;
        this.batchSize = size;
        this.epoch = epoch;
        for (int i = 0; i < replicas.length; i++)
        {
            shares[i] = replicas[i].share();
        }
        this.globalExamples = scheme.examplesToApply(globalStep(), globalExamples);
        scheme.beforeCompute(steps, globalStep());
        threads.runOnAll(computeTask);
        scheme.reduce(steps, globalStep());
        if (this.globalExamples > 0)
        {
            applyToAll();
        }
        steps++;
        localExamples += size;

        double loss = 0;
        for (final DeviceReplica replica : replicas)
        {
            loss += replica.score() * replica.examples();
        }
        return size == 0 ? 0 : loss / size;
    }

    /**
     * Applies the updater once more to the gradient the scheme left in every replica's gradient view, dividing by
     * {@code examples}, with the last step's epoch: a delayed scheme's last gradients at the end of a run.
     */
    public void applyUpdate(final int examples)
    {
        globalExamples = examples;
        applyToAll();
    }

    private void applyToAll()
    {
        final long updateStart = System.nanoTime();
        threads.runOnAll(applyTask);
        phases.duration(Phase.UPDATE, System.nanoTime() - updateStart);
    }

    /**
     * Makes this process's first step the job's global step {@code globalStep} (a resumed run's); codecs key
     * their random numbers on global steps. Call before the first step.
     */
    public void startAt(final long globalStep)
    {
        if (steps > 0)
        {
            throw new IllegalStateException("startAt before the first step, not after " + steps);
        }
        firstGlobalStep = globalStep;
    }

    /** The job's step that runs next: {@link #startAt} plus the steps this process trained. */
    public long globalStep()
    {
        return firstGlobalStep + steps;
    }

    /** Steps this process trained. */
    public long steps()
    {
        return steps;
    }

    /** Examples of this node's slices over all steps. */
    public long localExamples()
    {
        return localExamples;
    }

    /** {@link #verifyReplicas(long)} at this process's step count: a run that was not resumed. */
    public long verifyReplicas()
    {
        return verifyReplicas(steps);
    }

    /**
     * Checksums every replica's parameters; throws {@link ReplicaDivergenceException} unless all are equal, here
     * and (through the scheme) on every node.
     *
     * @param globalStep the job's step count, which a resumed run's counts start from; messages name it
     */
    public long verifyReplicas(final long globalStep)
    {
        final long checksum = replicaChecksum(globalStep);
        scheme.verifyChecksum(globalStep, checksum);
        return checksum;
    }

    /**
     * {@link #verifyReplicas(long)} inside this node only: for strategies whose nodes part between agreements. A
     * parameter that is NaN or infinite stops the run here too ({@link FiniteParameters}).
     */
    public long replicaChecksum(final long globalStep)
    {
        FiniteParameters.check(replicas[0].model().params(), globalStep, replicas[0].score());
        threads.runOnAll(checksumTask);
        for (int i = 1; i < checksums.length; i++)
        {
            if (checksums[i] != checksums[0])
            {
                throw new ReplicaDivergenceException(String.format(
                    "replica parameters diverged after global step %d: replica 0 checksum %08x, replica %d " +
                    "checksum %08x", globalStep, checksums[0], i, checksums[i]));
            }
        }
        return checksums[0];
    }

    private void compute(final int replica)
    {
        final long start = System.nanoTime();
        replicas[replica].loadSlice(data, order,
            batchFrom + WeightedSplit.sliceStart(batchSize, shares, 0, replicas.length, replica),
            WeightedSplit.sliceSize(batchSize, shares, 0, replicas.length, replica));
        final long loaded = System.nanoTime();
        replicas[replica].computeLoaded();
        scheme.afterBackward(replica, globalStep());
        final long computed = System.nanoTime();
        phases.event(steps, replica, Phase.DATA, start, loaded);
        phases.event(steps, replica, Phase.COMPUTE, loaded, computed);
    }

    private void apply(final int replica)
    {
        final long start = System.nanoTime();
        replicas[replica].applyUpdate(epoch, globalExamples);
        phases.event(steps, replica, Phase.UPDATE, start, System.nanoTime());
    }

    private void checksum(final int replica)
    {
        checksums[replica] = ParameterChecksum.of(replicas[replica].model().params());
    }
}
