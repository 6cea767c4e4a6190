package io.tributary.trainer.replica.sync;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.codec.DirectFloats;
import io.tributary.trainer.data.BatchSplit;
import io.tributary.trainer.metrics.Phase;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.replica.kernels.HostArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Stale-synchronous reduction with a fixed delay s ({@code strategy.staleness}). Step t's node sum (the leader's:
 * the non-empty replicas' gradients, left to right) goes into slot t mod (s+1), and a background thread
 * ({@link StaleLane}) reduces it across nodes, shard d on ring d exactly as the sync scheme of the same
 * {@code cluster.scheme} does, while the node computes steps t+1 .. t+s. At step t + s the global sum of step t
 * goes into every replica's gradient view and the updater applies it, dividing by step t's global batch, to the
 * parameters of that moment. Every node applies the same bytes at the same step, so nodes stay bit-identical.
 *
 * <p>The first {@code warmupSteps} global steps use delay 0 (the exact sync step). The s steps after them apply
 * nothing: their gradients are due s steps later. s = 0 is the sync step throughout. The sums not yet applied
 * are this node's checkpoint state ({@link NodeState}); {@link #takePending()} hands them out at the run's end.
 * Host memory only.
 */
public final class StaleScheme implements SyncScheme, NodeState
{
    private static final String STATE_NAME = "ssp";
    private static final long EMPTY = -1;

    private final DeviceReplica[] replicas;
    private final NodeChecksums checksums;
    private final StepPhases phases;
    private final IntraCompression intra;
    private final GlobalSumCopy copy;
    private final int staleness;
    private final int warmupSteps;
    private final int numParams;
    private final ByteBuffer[] slots;
    /** The global step whose sum each slot holds, {@link #EMPTY} once applied. */
    private final long[] slotStep;
    private final int[] slotExamples;
    private final ReplicaGradientSum replicaSum;
    private final StaleLane lane;
    private INDArray viewed;
    private ByteBuffer view;
    private int dueSlot = -1;
    private int dueLag;

    /**
     * @param rings     ring d reduces shard d (BatchSplit sizes over the rings) of each slot; one ring: the whole
     * @param intra     the replicas' codecs (null: exact), closed with this scheme
     * @param timeoutMs how long a wait for the background reduce may take
     */
    public StaleScheme(final DeviceReplica[] replicas, final ReplicaThreads threads,
        final NodeGradientSum nodeGradientSum, final ShardReducer[] rings, final NodeChecksums checksums,
        final StepPhases phases, final IntraCompression intra, final int staleness, final int warmupSteps,
        final long timeoutMs)
    {
        this.replicas = replicas;
        this.checksums = checksums;
        this.phases = phases;
        this.intra = intra;
        this.copy = new GlobalSumCopy(replicas, threads, phases);
        this.staleness = staleness;
        this.warmupSteps = warmupSteps;
        this.numParams = Math.toIntExact(replicas[0].model().numParams());
        final int slotCount = staleness + 1;
        this.slots = new ByteBuffer[slotCount];
        this.slotStep = new long[slotCount];
        this.slotExamples = new int[slotCount];
        Arrays.fill(slotStep, EMPTY);
        this.replicaSum = new ReplicaGradientSum(replicas, nodeGradientSum);
        final int[] shardLength = new int[rings.length];
        final ByteBuffer[][] slotShards = new ByteBuffer[slotCount][rings.length];
        for (int slot = 0; slot < slotCount; slot++)
        {
            slots[slot] = DirectFloats.floats(numParams);
            for (int d = 0; d < rings.length; d++)
            {
                shardLength[d] = BatchSplit.sliceSize(numParams, rings.length, d);
                slotShards[slot][d] = slots[slot].slice(BatchSplit.sliceStart(numParams, rings.length, d) * Float.BYTES,
                    shardLength[d] * Float.BYTES).order(ByteOrder.nativeOrder());
            }
        }
        this.lane = new StaleLane(rings, slotShards, shardLength, phases, timeoutMs * 1_000_000L);
    }

    @Override
    public int examplesToApply(final long globalStep, final int globalExamples)
    {
        final int slot = slotOf(globalStep);
        slotStep[slot] = globalStep;
        slotExamples[slot] = globalExamples;
        dueLag = globalStep < warmupSteps ? 0 : staleness;
        final long due = globalStep - dueLag;
        if (due < warmupSteps && dueLag > 0)
        {
            dueSlot = -1; // the pipeline fills: steps before warmupSteps were applied at their own step
            return 0;
        }
        dueSlot = slotOf(due);
        if (slotStep[dueSlot] != due)
        {
            throw new IllegalStateException("step " + globalStep + " is due to apply step " + due + "'s sum, but " +
                "its slot holds step " + slotStep[dueSlot] + "'s");
        }
        return slotExamples[dueSlot];
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
        slots[slotOf(globalStep)].put(0, view(nodeSum), 0, numParams * Float.BYTES);
        lane.submit(globalStep, step);
        final long submitted = System.nanoTime();
        phases.event(step, 0, Phase.INTRA, start, submitted);
        if (dueSlot < 0)
        {
            phases.duration(Phase.INTRA, submitted - start);
            return;
        }
        lane.awaitOutstanding(dueLag);
        final long reduced = System.nanoTime();
        phases.event(step, 0, Phase.INTER, submitted, reduced);
        phases.duration(Phase.INTER, reduced - submitted);
        useSlot(dueSlot, step);
        phases.duration(Phase.INTRA, submitted - start + System.nanoTime() - reduced);
    }

    /**
     * Puts the oldest global sum not yet applied into every replica's gradient view, once every reduce finished.
     *
     * @return the examples it covers, which the updater divides by; 0 when nothing is pending
     */
    public int takePending()
    {
        int oldest = -1;
        for (int slot = 0; slot < slots.length; slot++)
        {
            if (slotStep[slot] != EMPTY && (oldest < 0 || slotStep[slot] < slotStep[oldest]))
            {
                oldest = slot;
            }
        }
        if (oldest < 0)
        {
            return 0;
        }
        quiesce();
        final int examples = slotExamples[oldest];
        useSlot(oldest, Long.MAX_VALUE);
        return examples;
    }

    /** Waits until no reduce runs in the background: the rings are free for the caller's collectives. */
    public void quiesce()
    {
        lane.awaitOutstanding(0);
    }

    @Override
    public void verifyChecksum(final long step, final long checksum)
    {
        quiesce();
        checksums.verifyChecksum(step, checksum);
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        quiesce();
        out.writeUTF(STATE_NAME);
        out.writeInt(staleness);
        out.writeInt(numParams);
        int pending = 0;
        for (final long step : slotStep)
        {
            pending += step == EMPTY ? 0 : 1;
        }
        out.writeInt(pending);
        final byte[] bits = new byte[numParams * Float.BYTES];
        for (int slot = 0; slot < slots.length; slot++)
        {
            if (slotStep[slot] != EMPTY)
            {
                out.writeLong(slotStep[slot]);
                out.writeInt(slotExamples[slot]);
                slots[slot].get(0, bits);
                out.write(bits);
            }
        }
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        final String name = in.readUTF();
        final int savedStaleness = in.readInt();
        final int savedParams = in.readInt();
        if (!STATE_NAME.equals(name) || savedStaleness != staleness || savedParams != numParams)
        {
            throw new IOException("state of " + name + " staleness " + savedStaleness + " over " + savedParams +
                " values, expected " + STATE_NAME + " staleness " + staleness + " over " + numParams);
        }
        Arrays.fill(slotStep, EMPTY);
        final int pending = in.readInt();
        if (pending < 0 || pending > staleness)
        {
            throw new IOException(pending + " pending ssp gradients saved, at most " + staleness + " fit");
        }
        final byte[] bits = new byte[numParams * Float.BYTES];
        for (int i = 0; i < pending; i++)
        {
            final long step = in.readLong();
            final int slot = slotOf(step);
            slotStep[slot] = step;
            slotExamples[slot] = in.readInt();
            in.readFully(bits);
            slots[slot].put(0, bits);
        }
    }

    @Override
    public void close()
    {
        lane.close();
        if (intra != null)
        {
            intra.close();
        }
    }

    /** Copies slot {@code slot} into replica 0's gradient view and from there into every replica's; frees it. */
    private void useSlot(final int slot, final long step)
    {
        view(replicas[0].model().flatGradients()).put(0, slots[slot], 0, numParams * Float.BYTES);
        slotStep[slot] = EMPTY;
        copy.run(step);
    }

    private ByteBuffer view(final INDArray gradient)
    {
        if (gradient != viewed)
        {
            view = HostArrays.floatView(gradient);
            viewed = gradient;
        }
        return view;
    }

    private int slotOf(final long globalStep)
    {
        return (int)(globalStep % slots.length);
    }
}
