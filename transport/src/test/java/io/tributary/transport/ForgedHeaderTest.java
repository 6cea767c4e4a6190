package io.tributary.transport;

import io.aeron.ExclusivePublication;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames forged into the previous rank's own data publication, so that they arrive in the Aeron session the
 * receiver expects and pass the session check (unlike an intruder's, see {@link WireSafetyTest}): what stops
 * them must be the header checks in {@link RingPipeline} and the exchanged-count checks in {@link Collective}.
 * Every receive buffer lies inside a larger direct buffer whose guard regions must come out unchanged.
 */
class ForgedHeaderTest
{
    private static final float SENTINEL = -7f;
    private static final float FORGED = 1000f;
    private static final int GUARD_BYTES = 4096;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    /**
     * Rank 1's first receive step of an 8-float allreduce is chunk 0 of allreduce #1 from rank 0: floats
     * [0, 4), 16 bytes, added. Each forged frame breaks one field of that (or two for the huge lengths) and
     * carries 1000s, so one taken would show in the sum; queued ahead of rank 0's real frames, all are seen
     * before the real chunk 0.
     */
    @Test
    void forgedFramesInThePreviousRanksSessionAreRejectedByEveryHeaderCheck() throws Exception
    {
        final int count = 8;
        final int chunkBytes = count / 2 * Float.BYTES;
        try (LocalRing ring = LocalRing.start(2, ctx -> ctx.collectiveTimeoutNs(TIMEOUT_NS)))
        {
            final ExclusivePublication fromRank0 = ring.transports[0].membership().dataPublication();
            final long job = FrameHeader.jobHash(ring.jobId);
            final int op = FrameHeader.ALL_REDUCE;
            final UnsafeBuffer frame = forgedFrame(chunkBytes);
            forge(fromRank0, frame, job + 1, 1, 0, 0, chunkBytes, op, chunkBytes);             // another job
            forge(fromRank0, frame, job, 0, 0, 0, chunkBytes, op, chunkBytes);                 // stale sequence
            forge(fromRank0, frame, job, 1, 0, 1, chunkBytes, op, chunkBytes);                 // source: rank 1
            forge(fromRank0, frame, job, 1, 0, 0, chunkBytes, FrameHeader.BROADCAST, chunkBytes);
            forge(fromRank0, frame, job, 1, 999_999, 0, chunkBytes, op, chunkBytes);           // chunk index
            forge(fromRank0, frame, job, 1, 0, 0, chunkBytes, op, chunkBytes / 2);             // claims more than it carries
            forge(fromRank0, frame, job, 1, 0, 0, chunkBytes / 2, op, chunkBytes / 2);         // shorter than the chunk
            forge(fromRank0, frame, job, 1, 0, 0, Integer.MAX_VALUE, op, chunkBytes);          // 2 GiB - 1
            forge(fromRank0, frame, job, 1, 0, 0, Integer.MIN_VALUE, op, chunkBytes);          // 2 GiB unsigned
            FrameHeader.write(frame, 0, job, 1, 0, 0, chunkBytes, op);
            // Truncated header: were its length not checked, the zero padding after it would still fail the
            // operation check, so this frame alone cannot prove that check.
            offer(fromRank0, frame, 12);
            final int forged = 10;

            final ByteBuffer arena = guarded(count * Float.BYTES);
            final ByteBuffer data1 = inside(arena, count * Float.BYTES);
            final float[] data0 = new float[count];
            final float[] expected = new float[count];
            for (int i = 0; i < count; i++)
            {
                data0[i] = i + 1;
                data1.putFloat(i * Float.BYTES, 2 * (i + 1));
                expected[i] = 3 * (i + 1);
            }
            ring.onEveryRank(transport ->
            {
                if (transport.rank() == 0)
                {
                    transport.collective().allReduce(data0);
                }
                else
                {
                    transport.collective().allReduce(data1, count);
                }
                return null;
            });

            assertArrayEquals(expected, data0, "rank 0");
            assertArrayEquals(expected, floats(data1, count), "rank 1");
            assertGuardsUnchanged(arena, count * Float.BYTES);
            final CollectiveMetrics metrics1 = ring.transports[1].collective().metrics();
            assertEquals(forged, metrics1.framesRejected());
            assertEquals(2, metrics1.framesReceived(), "rank 1 took only rank 0's two real frames");
            assertEquals(0, ring.transports[0].collective().metrics().framesRejected());
        }
    }

    /**
     * The counts frame of an allGather comes from the previous rank's session with a valid header, but says
     * rank 0 sends -1000 floats (which would place rank 1's own block 4000 bytes before its receive buffer)
     * or has a receive buffer of -1 floats. Rank 1 fails the collective before copying anything; rank 0
     * takes no part, so nothing waits for a deadline.
     */
    @ParameterizedTest
    @CsvSource({ "-1000, 1000000", "1, -1" })
    void negativeExchangedCountOrCapacityFailsTheGatherBeforeAnyCopy(final int count0, final int capacity0)
        throws Exception
    {
        try (LocalRing ring = LocalRing.start(2, ctx -> ctx.collectiveTimeoutNs(TIMEOUT_NS)))
        {
            final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameHeader.LENGTH + 8));
            FrameHeader.write(frame, 0, FrameHeader.jobHash(ring.jobId), 1, 0, 0, 8, FrameHeader.ALL_GATHER_COUNTS);
            frame.putInt(FrameHeader.LENGTH, count0);
            frame.putInt(FrameHeader.LENGTH + 4, capacity0);
            offer(ring.transports[0].membership().dataPublication(), frame, FrameHeader.LENGTH + 8);

            final ByteBuffer arena = guarded(2 * Float.BYTES);
            final ByteBuffer recv = inside(arena, 2 * Float.BYTES);
            final ByteBuffer send = ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder());
            send.putFloat(0, 20f);
            final Collective collective1 = ring.transports[1].collective();
            final TransportException ex = assertThrows(TransportException.class,
                () -> collective1.allGather(send, 1, recv, new int[2]));
            assertGuardsUnchanged(arena, 2 * Float.BYTES);
            assertArrayEquals(new float[2], floats(recv, 2), "receive buffer");
            assertEquals(TransportException.class, ex.getClass(), ex.toString());
            assertTrue(ex.getMessage().contains("negative count or capacity for rank 0"), ex.getMessage());
            final TransportException again = assertThrows(TransportException.class, collective1::barrier);
            assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
        }
    }

    /**
     * The ring checks every step against the buffer before it polls or sends, so offsets derived from counts
     * other ranks sent can never make it read or write outside. A frame that exactly fits the bad receive
     * step waits in its image: taken, it would write floats 8 and 9 into the guard.
     */
    @Test
    void ringStepsOutsideTheBufferFailBeforeAnyFrameIsTakenOrSent() throws Exception
    {
        final int count = 8;
        try (LocalRing ring = LocalRing.start(2, ctx -> ctx.collectiveTimeoutNs(TIMEOUT_NS)))
        {
            final UnsafeBuffer frame = forgedFrame(4 * Float.BYTES);
            forge(ring.transports[0].membership().dataPublication(), frame, FrameHeader.jobHash(ring.jobId), 1, 0, 0,
                4 * Float.BYTES, FrameHeader.ALL_REDUCE, 4 * Float.BYTES);
            final CollectiveMetrics metrics = new CollectiveMetrics();
            final RingPipeline pipeline = new RingPipeline(
                new TransportContext().jobId(ring.jobId).rank(1).worldSize(2).idleStrategy(new BackoffIdleStrategy()),
                ring.transports[1].membership(), DriverDuty.NONE, metrics);
            final ByteBuffer arena = guarded(count * Float.BYTES);
            final FloatView view = new BufferFloats().wrap(inside(arena, count * Float.BYTES), count);

            assertStepRefused(pipeline.clear().receive(6, 4, false), view, "receive step 0 covers floats [6, 10)");
            assertStepRefused(pipeline.clear().send(0, 12, -1), view, "send step 0 covers floats [0, 12)");
            assertStepRefused(pipeline.clear().send(-4, 4, -1), view, "send step 0 covers floats [-4, 0)");
            assertGuardsUnchanged(arena, count * Float.BYTES);
            assertArrayEquals(new float[count], floats(inside(arena, count * Float.BYTES), count), "view");
            assertEquals(0, metrics.framesReceived());
            assertEquals(0, metrics.framesSent());
        }
    }

    private static void assertStepRefused(final RingPipeline pipeline, final FloatView view, final String message)
    {
        final TransportException ex = assertThrows(TransportException.class,
            () -> pipeline.run(view, 1, FrameHeader.ALL_REDUCE, System.nanoTime() + TIMEOUT_NS));
        assertEquals(TransportException.class, ex.getClass(), ex.toString());
        assertTrue(ex.getMessage().contains(message + " outside [0, 8)"), ex.getMessage());
    }

    private static UnsafeBuffer forgedFrame(final int payloadBytes)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameHeader.LENGTH + payloadBytes));
        for (int i = 0; i < payloadBytes; i += Float.BYTES)
        {
            frame.putFloat(FrameHeader.LENGTH + i, FORGED);
        }
        return frame;
    }

    private static void forge(
        final ExclusivePublication publication,
        final UnsafeBuffer frame,
        final long jobHash,
        final long sequence,
        final int chunk,
        final int source,
        final int claimedLength,
        final int operation,
        final int carriedLength) throws InterruptedException
    {
        FrameHeader.write(frame, 0, jobHash, sequence, chunk, source, claimedLength, operation);
        offer(publication, frame, FrameHeader.LENGTH + carriedLength);
    }

    /** Written from the test thread before the rank's own thread touches the publication. */
    private static void offer(final ExclusivePublication publication, final UnsafeBuffer frame, final int length)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (publication.offer(frame, 0, length) < 0)
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "could not offer a forged frame");
            Thread.sleep(1);
        }
    }

    /** A direct buffer of GUARD_BYTES, then bytes for the data (zeroed), then GUARD_BYTES, guards full of SENTINEL. */
    private static ByteBuffer guarded(final int bytes)
    {
        final ByteBuffer arena = ByteBuffer.allocateDirect(2 * GUARD_BYTES + bytes).order(ByteOrder.nativeOrder());
        for (int i = 0; i < arena.capacity(); i += Float.BYTES)
        {
            arena.putFloat(i, i < GUARD_BYTES || i >= GUARD_BYTES + bytes ? SENTINEL : 0f);
        }
        return arena;
    }

    private static ByteBuffer inside(final ByteBuffer arena, final int bytes)
    {
        return arena.duplicate().position(GUARD_BYTES).limit(GUARD_BYTES + bytes).slice().order(ByteOrder.nativeOrder());
    }

    private static void assertGuardsUnchanged(final ByteBuffer arena, final int bytes)
    {
        for (int i = 0; i < arena.capacity(); i += Float.BYTES)
        {
            if (i < GUARD_BYTES || i >= GUARD_BYTES + bytes)
            {
                assertEquals(SENTINEL, arena.getFloat(i), "guard byte " + (i - GUARD_BYTES) + " from the buffer");
            }
        }
    }

    private static float[] floats(final ByteBuffer buffer, final int count)
    {
        final float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = buffer.getFloat(i * Float.BYTES);
        }
        return values;
    }
}
