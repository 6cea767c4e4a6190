package io.tributary.trainer.replica.sync;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.kernels.GradientKernels;
import io.tributary.trainer.data.BatchSplit;
import io.tributary.trainer.metrics.Phase;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.replica.kernels.HostArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Horovod's hierarchical allreduce: the gradient is cut into one shard per replica ({@link BatchSplit} sizes).
 * In one replica-threads phase replica d sums shard d of every non-empty replica's gradient, left to right
 * in replica order (the leader's node sum, so both schemes give bit-identical node sums), and allreduces it
 * across nodes on ring d: all rings run at once, one per replica thread. In the next phase replicas 1..R-1
 * copy the whole global sum; then every replica applies the update.
 *
 * <p>Every shard's node sum is written into replica 0's gradient view, not into the owner's own: on the CPU
 * every replica reads the same memory, so this saves replica 0 its copy, and the kernels' sum may write into
 * its first input only, which replica 0's gradient is whenever its slice is non-empty (replica d's own
 * gradient would be input d). A replica whose slice is empty still sums and reduces its shard.
 * Host memory only (the ND4J CPU backend).
 */
public final class ShardedScheme implements SyncScheme
{
    private final DeviceReplica[] replicas;
    private final ReplicaThreads threads;
    private final ShardReducer[] rings;
    private final NodeChecksums checksums;
    private final StepPhases phases;
    private final GradientKernels[] kernels;
    private final int[] shardStart;
    private final int[] shardLength;
    /** gradientShards[d][i]: shard d of replica i's gradient view. */
    private final ByteBuffer[][] gradientShards;
    /** inputs[d]: shard d of the non-empty replicas' gradients, for replica d's sum. */
    private final ByteBuffer[][] inputs;
    private final INDArray[] viewed;
    private final long[] ringStartNs;
    private final long[] ringEndNs;
    private final RuntimeException[] ringFailures;
    private final ReplicaThreads.Task shardTask = this::reduceShard;
    private final GlobalSumCopy copy;
    private final IntraCompression intra;
    private int count;
    private long step;
    private long globalStep;

    /**
     * @param rings     one per replica; ring d reduces shard d across nodes
     * @param numParams the length of every replica's gradient
     */
    public ShardedScheme(final DeviceReplica[] replicas, final ReplicaThreads threads, final ShardReducer[] rings,
        final NodeChecksums checksums, final StepPhases phases, final long numParams)
    {
        this(replicas, threads, rings, checksums, phases, numParams, null);
    }

    /** @param intra the replicas' codecs (null: exact), closed with this scheme */
    public ShardedScheme(final DeviceReplica[] replicas, final ReplicaThreads threads, final ShardReducer[] rings,
        final NodeChecksums checksums, final StepPhases phases, final long numParams, final IntraCompression intra)
    {
        this.intra = intra;
        if (rings.length != replicas.length)
        {
            throw new IllegalArgumentException(replicas.length + " replicas but " + rings.length + " rings");
        }
        final int n = Math.toIntExact(numParams);
        final int shards = replicas.length;
        this.replicas = replicas;
        this.threads = threads;
        this.rings = rings;
        this.checksums = checksums;
        this.phases = phases;
        this.kernels = new GradientKernels[shards];
        this.shardStart = new int[shards];
        this.shardLength = new int[shards];
        this.gradientShards = new ByteBuffer[shards][shards];
        this.inputs = new ByteBuffer[shards][shards];
        this.viewed = new INDArray[shards];
        this.ringStartNs = new long[shards];
        this.ringEndNs = new long[shards];
        this.ringFailures = new RuntimeException[shards];
        this.copy = new GlobalSumCopy(replicas, threads, phases);
        for (int d = 0; d < shards; d++)
        {
            kernels[d] = new CpuGradientKernels();
            shardStart[d] = BatchSplit.sliceStart(n, shards, d);
            shardLength[d] = BatchSplit.sliceSize(n, shards, d);
        }
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
        this.step = step;
        this.globalStep = globalStep;
        final long start = System.nanoTime();
        refreshViews();
        count = 0;
        for (int i = 0; i < replicas.length; i++)
        {
            if (replicas[i].examples() > 0)
            {
                for (int d = 0; d < replicas.length; d++)
                {
                    inputs[d][count] = gradientShards[d][i];
                }
                count++;
            }
        }
        threads.runOnAll(shardTask);
        for (final RuntimeException failure : ringFailures)
        {
            if (failure != null)
            {
                Arrays.fill(ringFailures, null);
                throw failure; // a lost peer surfaces as itself (PeerLostException), not wrapped
            }
        }
        final long reduced = System.nanoTime();
        copy.run(step);
        // The node waits for its slowest ring: inter-node time runs from ring 0's start until the last ring
        // finished, so intra + inter + the copy add up to the whole reduce (the timeline shows each ring).
        phases.duration(Phase.INTER, reduced - ringStartNs[0]);
        phases.duration(Phase.INTRA, ringStartNs[0] - start + System.nanoTime() - reduced);
    }

    @Override
    public void verifyChecksum(final long step, final long checksum)
    {
        checksums.verifyChecksum(step, checksum);
    }

    @Override
    public void close()
    {
        for (final GradientKernels k : kernels)
        {
            k.close();
        }
        if (intra != null)
        {
            intra.close();
        }
    }

    /** Shard views of each gradient array, made again only when DL4J gives a replica a new gradient array. */
    private void refreshViews()
    {
        for (int i = 0; i < replicas.length; i++)
        {
            final INDArray gradient = replicas[i].model().flatGradients();
            if (gradient != viewed[i])
            {
                final ByteBuffer whole = HostArrays.floatView(gradient);
                for (int d = 0; d < replicas.length; d++)
                {
                    gradientShards[d][i] = whole.slice(shardStart[d] * Float.BYTES, shardLength[d] * Float.BYTES)
                        .order(ByteOrder.nativeOrder());
                }
                viewed[i] = gradient;
            }
        }
    }

    private void reduceShard(final int d)
    {
        final long start = System.nanoTime();
        final ByteBuffer target = gradientShards[d][0];
        final int length = shardLength[d];
        ShardSum.sum(kernels[d], inputs[d], count, target, length);
        ringStartNs[d] = System.nanoTime();
        phases.event(step, d, Phase.INTRA, start, ringStartNs[d]);
        try
        {
            if (length > 0)
            {
                rings[d].allReduce(target, length, globalStep);
            }
        }
        catch (final RuntimeException ex)
        {
            ringFailures[d] = ex;
        }
        ringEndNs[d] = System.nanoTime();
        phases.event(step, d, Phase.INTER, ringStartNs[d], ringEndNs[d]);
    }
}
