package io.tributary.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames that are not what a rank expects are dropped and counted, and the collective still completes exactly. */
class WireSafetyTest
{
    /**
     * An intruder's frames arrive in its own Aeron session, so the session check drops all five before the
     * header checks, which remain for stale or mismatched frames of the previous rank itself (forged in
     * its own session by {@link ForgedHeaderTest}).
     */
    @Test
    void forgedFramesAreRejectedCountedAndNeverUsed() throws Exception
    {
        try (LocalRing ring = LocalRing.start(2, ctx -> {});
            Aeron intruder = Aeron.connect(new Aeron.Context().aeronDirectoryName(ring.driver.directory()));
            ExclusivePublication forged = intruder.addExclusivePublication(
                "aeron:udp?endpoint=" + ring.transports[1].endpoint(1) + "|mtu=65504|term-length=1048576", Channels.DATA_STREAM))
        {
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!forged.isConnected())
            {
                assertTrue(System.nanoTime() < deadline, "forged publication never connected");
                Thread.sleep(10);
            }
            final long job = FrameHeader.jobHash(ring.jobId);
            final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameHeader.LENGTH + 8));
            // 1: right job, sequence of the next allreduce, claims 2 GiB of payload.
            FrameHeader.write(frame, 0, job, 1, 0, 0, Integer.MAX_VALUE, FrameHeader.ALL_REDUCE);
            offer(forged, frame, FrameHeader.LENGTH + 8);
            // 2: another job.
            FrameHeader.write(frame, 0, job + 1, 1, 0, 0, 8, FrameHeader.ALL_REDUCE);
            offer(forged, frame, FrameHeader.LENGTH + 8);
            // 3: a sequence from long ago.
            FrameHeader.write(frame, 0, job, -5, 0, 0, 8, FrameHeader.ALL_REDUCE);
            offer(forged, frame, FrameHeader.LENGTH + 8);
            // 4: truncated below the header.
            offer(forged, frame, 12);
            // 5: right job, sequence and length, impossible chunk index.
            FrameHeader.write(frame, 0, job, 1, 999_999, 0, 8, FrameHeader.ALL_REDUCE);
            offer(forged, frame, FrameHeader.LENGTH + 8);
            Thread.sleep(300);

            final List<Long> rejected = ring.onEveryRank(transport ->
            {
                final float[] data = { transport.rank() + 1f, 10f };
                transport.collective().allReduce(data);
                assertEquals(3f, data[0]);
                assertEquals(20f, data[1]);
                for (int i = 0; i < 20 && transport.collective().metrics().framesRejected() < 5 && transport.rank() == 1; i++)
                {
                    Thread.sleep(20);
                    transport.collective().allReduce(new float[1]);
                }
                return transport.collective().metrics().framesRejected();
            });
            assertEquals(0L, rejected.get(0));
            assertEquals(5L, rejected.get(1));
            assertTrue(ring.transports[1].collective().metrics().summary().contains("rejected=5"));
        }
    }

    /**
     * An intruder sends rank 1 the counts frame rank 0 would send, but with a negative count: taken as is, it
     * would place rank 1's own block 4000 bytes before its receive buffer. The frame is not from rank 0's
     * session, so it is dropped; rank 0's real counts, sent 200 ms later, complete the gather.
     */
    @Test
    void forgedNegativeGatherCountIsRejectedAndNothingIsWrittenOutsideTheReceiveBuffer() throws Exception
    {
        try (LocalRing ring = LocalRing.start(2, ctx -> ctx.collectiveTimeoutNs(TimeUnit.SECONDS.toNanos(3)));
            Aeron intruder = Aeron.connect(new Aeron.Context().aeronDirectoryName(ring.driver.directory()));
            ExclusivePublication forged = intruder.addExclusivePublication(
                "aeron:udp?endpoint=" + ring.transports[1].endpoint(1) + "|mtu=65504|term-length=1048576", Channels.DATA_STREAM))
        {
            awaitConnected(forged);
            final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameHeader.LENGTH + 8));
            FrameHeader.write(frame, 0, FrameHeader.jobHash(ring.jobId), 1, 0, 0, 8, FrameHeader.ALL_GATHER_COUNTS);
            frame.putInt(FrameHeader.LENGTH, -1000);
            frame.putInt(FrameHeader.LENGTH + 4, 1_000_000);
            offer(forged, frame, FrameHeader.LENGTH + 8);
            Thread.sleep(300);

            final float sentinel = -7f;
            final ByteBuffer arena = ByteBuffer.allocateDirect(16_000).order(ByteOrder.nativeOrder());
            for (int i = 0; i < arena.capacity(); i += Float.BYTES)
            {
                arena.putFloat(i, sentinel);
            }
            final ByteBuffer recv1 = arena.position(8000).limit(8008).slice().order(ByteOrder.nativeOrder());
            arena.clear();
            final List<Object> results = ring.onEveryRank(transport ->
            {
                final ByteBuffer send = ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder());
                send.putFloat(0, 10f * (transport.rank() + 1));
                final ByteBuffer recv = transport.rank() == 1 ? recv1 :
                    ByteBuffer.allocateDirect(2 * Float.BYTES).order(ByteOrder.nativeOrder());
                final int[] counts = new int[2];
                if (transport.rank() == 0)
                {
                    Thread.sleep(200);
                }
                try
                {
                    final int total = transport.collective().allGather(send, 1, recv, counts);
                    return new float[]{ total, counts[0], counts[1], recv.getFloat(0), recv.getFloat(4) };
                }
                catch (final RuntimeException ex)
                {
                    return ex.toString();
                }
            });
            for (int i = 0; i < arena.capacity(); i += Float.BYTES)
            {
                if (i < 8000 || i >= 8008)
                {
                    assertEquals(sentinel, arena.getFloat(i), "byte " + (i - 8000) + " from rank 1's receive buffer");
                }
            }
            for (final Object result : results)
            {
                assertTrue(result instanceof float[], String.valueOf(result));
                assertArrayEquals(new float[]{ 2, 1, 1, 10f, 20f }, (float[])result, "total, counts, gathered");
            }
            assertEquals(1L, ring.transports[1].collective().metrics().framesRejected());
        }
    }

    private static void awaitConnected(final ExclusivePublication publication) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!publication.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "forged publication never connected");
            Thread.sleep(10);
        }
    }

    private static void offer(final ExclusivePublication publication, final UnsafeBuffer frame, final int length)
        throws InterruptedException
    {
        while (publication.offer(frame, 0, length) < 0)
        {
            Thread.sleep(1);
        }
    }
}
