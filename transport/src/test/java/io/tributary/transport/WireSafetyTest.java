package io.tributary.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames that are not what a rank expects are dropped and counted, and the collective still completes exactly. */
class WireSafetyTest
{
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

    private static void offer(final ExclusivePublication publication, final UnsafeBuffer frame, final int length)
        throws InterruptedException
    {
        while (publication.offer(frame, 0, length) < 0)
        {
            Thread.sleep(1);
        }
    }
}
