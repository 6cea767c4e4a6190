package io.tributary.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatherBroadcastBarrierTest
{
    private static final int CHUNK = (65504 - 32 - FrameHeader.LENGTH) / Float.BYTES;

    /** Rank r contributes a block of this length: empty, tiny and multi-chunk blocks in one gather. */
    private static int blockLength(final int rank)
    {
        return new int[]{ 5, 0, 2 * CHUNK + 3, 1, 0, 17, CHUNK, 9 }[rank];
    }

    private static float blockValue(final int rank, final int i)
    {
        return rank * 1000f + (i % 977);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 5, 8 })
    void allGatherConcatenatesBlocksOfEveryLengthInRankOrder(final int worldSize) throws Exception
    {
        int total = 0;
        for (int r = 0; r < worldSize; r++)
        {
            total += blockLength(r);
        }
        final float[] expected = new float[total];
        for (int r = 0, at = 0; r < worldSize; r++)
        {
            for (int i = 0; i < blockLength(r); i++)
            {
                expected[at++] = blockValue(r, i);
            }
        }
        final int expectedTotal = total;
        try (LocalRing ring = LocalRing.start(worldSize, ctx -> {}))
        {
            ring.onEveryRank(transport ->
            {
                final int rank = transport.rank();
                final float[] send = new float[blockLength(rank)];
                for (int i = 0; i < send.length; i++)
                {
                    send[i] = blockValue(rank, i);
                }
                final int[] counts = new int[worldSize];
                final float[] recv = new float[expectedTotal + 4];
                assertEquals(expectedTotal, transport.collective().allGather(send, send.length, recv, counts));
                for (int r = 0; r < worldSize; r++)
                {
                    assertEquals(blockLength(r), counts[r]);
                }
                assertArrayEquals(expected, java.util.Arrays.copyOf(recv, expectedTotal));

                final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(send.length * 4).order(ByteOrder.nativeOrder());
                sendBuffer.asFloatBuffer().put(send);
                final ByteBuffer recvBuffer = ByteBuffer.allocateDirect(expectedTotal * 4).order(ByteOrder.nativeOrder());
                assertEquals(expectedTotal, transport.collective().allGather(sendBuffer, send.length, recvBuffer, counts));
                final float[] got = new float[expectedTotal];
                recvBuffer.asFloatBuffer().get(got);
                assertArrayEquals(expected, got);
                return null;
            });
        }
    }

    @Test
    void allGatherFailsOnEveryRankWhenOneReceiveBufferIsTooSmallAndTheRingStaysUsable() throws Exception
    {
        try (LocalRing ring = LocalRing.start(3, ctx -> {}))
        {
            final List<String> messages = ring.onEveryRank(transport ->
            {
                final float[] recv = new float[transport.rank() == 2 ? 2 : 3];
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> transport.collective().allGather(new float[]{ 1f }, 1, recv, new int[3]));
                transport.collective().barrier();
                final float[] one = { 1f };
                transport.collective().allReduce(one);
                assertEquals(3f, one[0]);
                return ex.getMessage();
            });
            for (final String message : messages)
            {
                assertTrue(message.contains("rank 2's receive buffer holds 2"), message);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 4 })
    void broadcastCopiesRootDataToEveryRankForEveryRoot(final int worldSize) throws Exception
    {
        final int length = 3 * CHUNK + 11;
        try (LocalRing ring = LocalRing.start(worldSize, ctx -> {}))
        {
            ring.onEveryRank(transport ->
            {
                for (int root = 0; root < worldSize; root++)
                {
                    final float[] data = new float[length];
                    for (int i = 0; i < length; i++)
                    {
                        data[i] = transport.rank() == root ? root * 100_000f + i : -1f;
                    }
                    transport.collective().broadcast(data, length, root);
                    for (int i = 0; i < length; i++)
                    {
                        assertEquals(root * 100_000f + i, data[i], "root " + root + " index " + i);
                    }
                    final float[] empty = new float[0];
                    transport.collective().broadcast(empty, 0, root);
                }
                return null;
            });
        }
    }

    @Test
    void barrierReturnsOnlyAfterTheLastRankEnters() throws Exception
    {
        final int worldSize = 4;
        final long lateMs = 300;
        try (LocalRing ring = LocalRing.start(worldSize, ctx -> {}))
        {
            ring.onEveryRank(transport -> { transport.collective().barrier(); return null; });
            final long[] lateEnteredAt = new long[1];
            final List<Long> leftAt = ring.onEveryRank(transport ->
            {
                if (transport.rank() == 2)
                {
                    Thread.sleep(lateMs);
                    lateEnteredAt[0] = System.nanoTime();
                }
                transport.collective().barrier();
                return System.nanoTime();
            });
            for (final long left : leftAt)
            {
                assertTrue(left >= lateEnteredAt[0], "a rank left the barrier before rank 2 entered it");
            }
            assertEquals(2, ring.transports[0].collective().metrics().latencyUs(CollectiveMetrics.Operation.BARRIER).getTotalCount());
        }
    }
}
