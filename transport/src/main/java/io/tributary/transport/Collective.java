package io.tributary.transport;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Collectives over the ring of a {@link Transport}: every rank must make the same calls, in the same order,
 * with the same counts (allGather excepted, whose counts are exchanged). Arrays are worked on in place;
 * direct buffers hold native-order floats from byte 0. Not thread safe: one thread calls at a time.
 *
 * <p>Each call has the deadline {@link TransportContext#collectiveTimeoutNs()}. A lost peer or a missed
 * deadline raises {@link PeerLostException}; afterwards this collective is failed and every call throws.
 * Bad arguments raise {@link IllegalArgumentException} before anything is sent (the other ranks will then
 * miss their deadline), except allGather capacity, which every rank checks after the counts are known.
 */
public final class Collective
{
    private static final float[] EMPTY = new float[0];
    private static final long CLOSE_WAIT_NS = 2_000_000_000L;

    private final Membership membership;
    private final CollectiveMetrics metrics;
    private final RingPipeline ring;
    private final long timeoutNs;
    private final int rank;
    private final int worldSize;
    private final ArrayFloats arrayView = new ArrayFloats();
    private final BufferFloats bufferView = new BufferFloats();
    private final BufferFloats countsView = new BufferFloats();
    private final CodedFloats codedView;
    private final ByteBuffer counts;
    private final int[] offsets;
    private long sequence;
    private String failure;

    Collective(
        final TransportContext ctx,
        final Membership membership,
        final DriverDuty driverDuty,
        final CollectiveMetrics metrics)
    {
        this.membership = membership;
        this.metrics = metrics;
        this.rank = ctx.rank();
        this.worldSize = ctx.worldSize();
        this.timeoutNs = ctx.collectiveTimeoutNs();
        this.ring = worldSize > 1 ? new RingPipeline(ctx, membership, driverDuty, metrics) : null;
        this.counts = ByteBuffer.allocateDirect(2 * worldSize * Integer.BYTES).order(ByteOrder.nativeOrder());
        this.offsets = new int[worldSize + 1];
        this.codedView = new CodedFloats(rank);
    }

    public int rank()
    {
        return rank;
    }

    public int worldSize()
    {
        return worldSize;
    }

    public CollectiveMetrics metrics()
    {
        return metrics;
    }

    /** Sums data over all ranks, in place. */
    public void allReduce(final float[] data)
    {
        allReduce(data, data.length);
    }

    /** Sums data[0, count) over all ranks, in place. */
    public void allReduce(final float[] data, final int count)
    {
        checkCount(count, data.length, "data");
        allReduce(arrayView.wrap(data, count));
    }

    /** Sums the first count floats of a direct buffer over all ranks, in place. */
    public void allReduce(final ByteBuffer data, final int count)
    {
        checkDirect(data, count, "data");
        allReduce(bufferView.wrap(data, count));
    }

    /**
     * Sums the first count floats of a direct buffer over all ranks, in place, with every frame encoded by codec:
     * each hop of the reduce-scatter decodes what it receives, adds it in fp32 and encodes the partial sum
     * again; the owner of each reduced segment encodes it once and the allgather forwards those bytes unchanged.
     * Every rank, the owner included, ends with the decoding of the same bytes: bit-identical results. With
     * one rank nothing is sent and data is left as it is.
     *
     * @param seed seeds the keys the codec's random rounding draws from (a different key per encoded chunk)
     */
    public void allReduce(final ByteBuffer data, final int count, final WireCodec codec, final long seed)
    {
        checkDirect(data, count, "data");
        final long startNs = enter();
        if (worldSize > 1)
        {
            final int chunkFloats = CodedFloats.chunkFloats(codec, ring.maxPayloadBytes());
            planAllReduce(count, chunkFloats);
            final int owned = (rank + 1) % worldSize;
            run(codedView.wrap(data, count, codec, seed, chunkFloats, segmentStart(count, chunkFloats, owned),
                segmentStart(count, chunkFloats, owned + 1)), FrameHeader.ENCODED_ALL_REDUCE, startNs);
        }
        metrics.record(CollectiveMetrics.Operation.ALL_REDUCE, System.nanoTime() - startNs);
    }

    private void allReduce(final FloatView view)
    {
        final long startNs = enter();
        if (worldSize > 1)
        {
            planAllReduce(view.capacity(), 1);
            run(view, FrameHeader.ALL_REDUCE, startNs);
        }
        metrics.record(CollectiveMetrics.Operation.ALL_REDUCE, System.nanoTime() - startNs);
    }

    /** Reduce-scatter then allgather of worldSize segments, each starting at a multiple of alignFloats. */
    private void planAllReduce(final int count, final int alignFloats)
    {
        final int n = worldSize;
        if (alignFloats == 1)
        {
            ring.clear();
        }
        else
        {
            ring.clear(alignFloats);
        }
        for (int s = 0; s < n - 1; s++)
        {
            sendSegment(count, alignFloats, (rank - s + n) % n, s - 1);
            receiveSegment(count, alignFloats, (rank - s - 1 + n) % n, true);
        }
        for (int s = 0; s < n - 1; s++)
        {
            sendSegment(count, alignFloats, (rank + 1 - s + n) % n, n - 2 + s);
            receiveSegment(count, alignFloats, (rank - s + n) % n, false);
        }
    }

    private void sendSegment(final int count, final int align, final int segment, final int afterRecvStep)
    {
        final int start = segmentStart(count, align, segment);
        ring.send(start, segmentStart(count, align, segment + 1) - start, afterRecvStep);
    }

    private void receiveSegment(final int count, final int align, final int segment, final boolean add)
    {
        final int start = segmentStart(count, align, segment);
        ring.receive(start, segmentStart(count, align, segment + 1) - start, add);
    }

    private int segmentStart(final int count, final int align, final int segment)
    {
        final long units = ((long)count + align - 1) / align;
        return (int)Math.min(count, units * segment / worldSize * align);
    }

    /**
     * Gathers every rank's send[0, sendCount) into recv, in rank order.
     *
     * @param countsOut receives each rank's count (length at least worldSize)
     * @return the total number of floats gathered
     * @throws IllegalArgumentException on every rank when some rank's recv is too small for the total
     */
    public int allGather(final float[] send, final int sendCount, final float[] recv, final int[] countsOut)
    {
        checkCount(sendCount, send.length, "send");
        final long startNs = enter();
        final int total = exchangeCounts(sendCount, recv.length, countsOut, startNs);
        System.arraycopy(send, 0, recv, offsets[rank], sendCount);
        gather(arrayView.wrap(recv, total), startNs);
        return total;
    }

    /** As {@link #allGather(float[], int, float[], int[])} on direct buffers, which must not overlap. */
    public int allGather(final ByteBuffer send, final int sendCount, final ByteBuffer recv, final int[] countsOut)
    {
        checkDirect(send, sendCount, "send");
        checkDirect(recv, 0, "recv");
        final long startNs = enter();
        final int total = exchangeCounts(sendCount, recv.capacity() / Float.BYTES, countsOut, startNs);
        UnsafeApi.copyMemory(BufferUtil.address(send), BufferUtil.address(recv) + (long)offsets[rank] * Float.BYTES,
            (long)sendCount * Float.BYTES);
        gather(bufferView.wrap(recv, total), startNs);
        return total;
    }

    private int exchangeCounts(final int sendCount, final int capacity, final int[] countsOut, final long startNs)
    {
        if (countsOut.length < worldSize)
        {
            throw new IllegalArgumentException("countsOut holds " + countsOut.length + ", needs worldSize " +
                worldSize);
        }
        counts.putInt(2 * rank * Integer.BYTES, sendCount);
        counts.putInt((2 * rank + 1) * Integer.BYTES, capacity);
        if (worldSize > 1)
        {
            ring.clear();
            for (int s = 0; s < worldSize - 1; s++)
            {
                ring.send(2 * ((rank - s + worldSize) % worldSize), 2, s - 1);
                ring.receive(2 * ((rank - s - 1 + worldSize) % worldSize), 2, false);
            }
            run(countsView.wrap(counts, 2 * worldSize), FrameHeader.ALL_GATHER_COUNTS, startNs);
        }
        for (int q = 0; q < worldSize; q++)
        {
            if (counts.getInt(2 * q * Integer.BYTES) < 0 || counts.getInt((2 * q + 1) * Integer.BYTES) < 0)
            {
                failure = membership.prefix() + "allGather received a negative count or capacity for rank " + q;
                throw new TransportException(failure);
            }
        }
        long total = 0;
        for (int q = 0; q < worldSize; q++)
        {
            countsOut[q] = counts.getInt(2 * q * Integer.BYTES);
            offsets[q] = (int)Math.min(total, Integer.MAX_VALUE);
            total += countsOut[q];
        }
        for (int q = 0; q < worldSize; q++)
        {
            final int capacityOfQ = counts.getInt((2 * q + 1) * Integer.BYTES);
            if (capacityOfQ < total)
            {
                throw new IllegalArgumentException(membership.prefix() + "allGather needs " + total +
                    " floats but rank " + q + "'s receive buffer holds " + capacityOfQ);
            }
        }
        offsets[worldSize] = (int)total;
        return (int)total;
    }

    private void gather(final FloatView view, final long startNs)
    {
        if (worldSize > 1)
        {
            ring.clear();
            for (int s = 0; s < worldSize - 1; s++)
            {
                final int sendBlock = (rank - s + worldSize) % worldSize;
                final int recvBlock = (rank - s - 1 + worldSize) % worldSize;
                ring.send(offsets[sendBlock], offsets[sendBlock + 1] - offsets[sendBlock], s - 1);
                ring.receive(offsets[recvBlock], offsets[recvBlock + 1] - offsets[recvBlock], false);
            }
            run(view, FrameHeader.ALL_GATHER, startNs);
        }
        metrics.record(CollectiveMetrics.Operation.ALL_GATHER, System.nanoTime() - startNs);
    }

    /** Copies root's data[0, count) to every rank; streamed along the ring in chunks. */
    public void broadcast(final float[] data, final int count, final int root)
    {
        checkCount(count, data.length, "data");
        broadcast(arrayView.wrap(data, count), root);
    }

    /** As {@link #broadcast(float[], int, int)} on a direct buffer. */
    public void broadcast(final ByteBuffer data, final int count, final int root)
    {
        checkDirect(data, count, "data");
        broadcast(bufferView.wrap(data, count), root);
    }

    private void broadcast(final FloatView view, final int root)
    {
        if (root < 0 || root >= worldSize)
        {
            throw new IllegalArgumentException("root " + root + " is outside [0, " + worldSize + ")");
        }
        final long startNs = enter();
        if (worldSize > 1)
        {
            final int distance = (rank - root + worldSize) % worldSize;
            ring.clear();
            if (distance == 0)
            {
                ring.send(0, view.capacity(), -1);
            }
            else
            {
                ring.receive(0, view.capacity(), false);
                if (distance < worldSize - 1)
                {
                    ring.send(0, view.capacity(), 0);
                }
            }
            run(view, FrameHeader.BROADCAST, startNs);
        }
        metrics.record(CollectiveMetrics.Operation.BROADCAST, System.nanoTime() - startNs);
    }

    /** Returns once every rank has entered the barrier: an empty frame travels the ring worldSize - 1 hops. */
    public void barrier()
    {
        final long startNs = enter();
        if (worldSize > 1)
        {
            ring.clear();
            for (int s = 0; s < worldSize - 1; s++)
            {
                ring.send(0, 0, s - 1);
                ring.receive(0, 0, false);
            }
            run(arrayView.wrap(EMPTY, 0), FrameHeader.BARRIER, startNs);
        }
        metrics.record(CollectiveMetrics.Operation.BARRIER, System.nanoTime() - startNs);
    }

    private long enter()
    {
        if (failure != null)
        {
            throw new TransportException(membership.prefix() + "collective failed earlier: " + failure);
        }
        return System.nanoTime();
    }

    private void run(final FloatView view, final int operation, final long startNs)
    {
        try
        {
            ring.run(view, ++sequence, operation, startNs + timeoutNs);
        }
        catch (final RuntimeException ex)
        {
            failure = ex.getMessage();
            throw ex;
        }
    }

    /**
     * Stops a collective running on another thread (see {@link Transport#close()}).
     *
     * @return false if it is still running after the wait
     */
    boolean close()
    {
        return ring == null || ring.close(CLOSE_WAIT_NS);
    }

    private static void checkCount(final int count, final int length, final String name)
    {
        if (count < 0 || count > length)
        {
            throw new IllegalArgumentException(name + " count " + count + " is outside [0, " + length + "]");
        }
    }

    private static void checkDirect(final ByteBuffer buffer, final int count, final String name)
    {
        if (!buffer.isDirect())
        {
            throw new IllegalArgumentException(name + " must be a direct ByteBuffer");
        }
        if (buffer.order() != ByteOrder.nativeOrder())
        {
            throw new IllegalArgumentException(name + " must be in native byte order (" + ByteOrder.nativeOrder() +
                "), is " + buffer.order());
        }
        checkCount(count, buffer.capacity() / Float.BYTES, name);
    }
}
