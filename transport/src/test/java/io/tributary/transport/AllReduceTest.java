package io.tributary.transport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Ring allreduce in one JVM: exact sums of integer-valued floats for every world size and awkward length. */
class AllReduceTest
{
    static float value(final int rank, final int index, final int round)
    {
        return (float)(((index * 31L + rank * 17L + round * 7L) % 2001) - 1000);
    }

    static float[] expectedSum(final int worldSize, final int length, final int round)
    {
        final float[] sum = new float[length];
        for (int i = 0; i < length; i++)
        {
            long s = 0;
            for (int r = 0; r < worldSize; r++)
            {
                s += (long)value(r, i, round);
            }
            sum[i] = s;
        }
        return sum;
    }

    static int[] lengths(final int worldSize, final int chunkFloats)
    {
        return new int[]{ 0, 1, Math.max(0, worldSize - 1), 1001, 3 * chunkFloats * worldSize + 17, 2 };
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7, 8 })
    void sumsExactlyOnArraysAndDirectBuffers(final int worldSize) throws Exception
    {
        sumsExactly(worldSize, false);
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 4 })
    void sumsExactlyOverIpcOnOneSharedDriver(final int worldSize) throws Exception
    {
        sumsExactly(worldSize, true);
    }

    private void sumsExactly(final int worldSize, final boolean ipc) throws Exception
    {
        try (LocalRing ring = LocalRing.start(worldSize, ctx -> ctx.ipc(ipc)))
        {
            final int chunkFloats = (65504 - 32 - FrameHeader.LENGTH) / Float.BYTES;
            final int[] lengths = lengths(worldSize, chunkFloats);
            final List<Long> rejected = ring.onEveryRank(transport ->
            {
                final Collective collective = transport.collective();
                final int rank = transport.rank();
                int round = 0;
                for (final int length : lengths)
                {
                    round++;
                    final float[] data = new float[length + 3];
                    for (int i = 0; i < length; i++)
                    {
                        data[i] = value(rank, i, round);
                    }
                    data[length] = 42f;
                    collective.allReduce(data, length);
                    final float[] expected = expectedSum(worldSize, length, round);
                    for (int i = 0; i < length; i++)
                    {
                        assertEquals(expected[i], data[i], "rank " + rank + " length " + length + " index " + i);
                    }
                    assertEquals(42f, data[length], "float past count untouched");

                    round++;
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.nativeOrder());
                    for (int i = 0; i < length; i++)
                    {
                        buffer.putFloat(i * Float.BYTES, value(rank, i, round));
                    }
                    collective.allReduce(buffer, length);
                    final float[] got = new float[length];
                    buffer.asFloatBuffer().get(got);
                    assertArrayEquals(expectedSum(worldSize, length, round), got, "direct buffer, length " + length);
                }
                return collective.metrics().framesRejected();
            });
            for (final long count : rejected)
            {
                assertEquals(0, count);
            }
        }
    }
}
