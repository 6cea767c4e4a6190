package io.tributary.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoded ring allreduce: frames carry the codec's bytes, and every rank ends with the same floats. */
class CodecAllReduceTest
{
    private static final int MAX_PAYLOAD = 65504 - 32 - FrameHeader.LENGTH;

    /** Integers in [-16, 16]: any sum of eight is exact in the truncating codec's 8 significant bits. */
    private static float small(final int rank, final int index, final int round)
    {
        return (int)AllReduceTest.value(rank, index, round) % 17;
    }

    private static ByteBuffer floats(final int count)
    {
        return ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder());
    }

    private static float[] read(final ByteBuffer buffer, final int count)
    {
        final float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = buffer.getFloat(i * Float.BYTES);
        }
        return values;
    }

    private static int[] lengths(final int worldSize, final WireCodec codec)
    {
        final int chunk = CodedFloats.chunkFloats(codec, MAX_PAYLOAD);
        return new int[]{ 0, 1, Math.max(0, worldSize - 1), 1001, 3 * chunk * worldSize + 17, chunk * worldSize };
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 5 })
    void losslessCodecSumsExactlyInHalfTheBytes(final int worldSize) throws Exception
    {
        final WireCodec codec = new TestCodecs.Truncating();
        final int[] lengths = lengths(worldSize, codec);
        try (LocalRing ring = LocalRing.start(worldSize, ctx -> { }))
        {
            final List<long[]> sent = ring.onEveryRank(transport ->
            {
                final Collective collective = transport.collective();
                final int rank = transport.rank();
                long payloadFloats = 0;
                int round = 0;
                for (final int length : lengths)
                {
                    round++;
                    final ByteBuffer data = floats(length + 1);
                    for (int i = 0; i < length; i++)
                    {
                        data.putFloat(i * Float.BYTES, small(rank, i, round));
                    }
                    data.putFloat(length * Float.BYTES, 42f);
                    collective.allReduce(data, length, codec, 7L);
                    final float[] expected = new float[length];
                    for (int i = 0; i < length; i++)
                    {
                        for (int r = 0; r < worldSize; r++)
                        {
                            expected[i] += small(r, i, round);
                        }
                    }
                    assertArrayEquals(expected, read(data, length), "rank " + rank + " length " + length);
                    assertEquals(42f, data.getFloat(length * Float.BYTES), "float past count untouched");
                    payloadFloats += length;
                }
                final CollectiveMetrics metrics = collective.metrics();
                return new long[]{ metrics.bytesSent(), metrics.framesSent(), metrics.framesRejected(), payloadFloats };
            });
            for (final long[] rank : sent)
            {
                assertEquals(0, rank[2], "frames rejected");
                final long payload = rank[0] - rank[1] * FrameHeader.LENGTH;
                final double fp32RingBytes = 2.0 * (worldSize - 1) / worldSize * rank[3] * Float.BYTES;
                // Half of fp32's bytes, give or take the unequal chunk-aligned segments.
                assertTrue(payload >= 0.45 * fp32RingBytes && payload <= 0.52 * fp32RingBytes,
                    "payload " + payload + " bytes against " + fp32RingBytes + " for fp32");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 4 })
    void randomCodecGivesEveryRankTheSameBitsNearTheSum(final int worldSize) throws Exception
    {
        final int length = 3 * CodedFloats.chunkFloats(new TestCodecs.Stochastic8(), MAX_PAYLOAD) * worldSize + 5;
        try (LocalRing ring = LocalRing.start(worldSize, ctx -> { }))
        {
            final List<float[]> results = ring.onEveryRank(transport ->
            {
                final ByteBuffer data = floats(length);
                for (int i = 0; i < length; i++)
                {
                    data.putFloat(i * Float.BYTES, (float)Math.sin(i * 0.37 + transport.rank()));
                }
                transport.collective().allReduce(data, length, new TestCodecs.Stochastic8(), 11L);
                return read(data, length);
            });
            // Each of at most worldSize encodings along a segment's path errs by less than its scale / 127,
            // and every partial sum is at most worldSize in magnitude.
            final double bound = worldSize * (double)worldSize / 127.0;
            double worst = 0;
            for (int i = 0; i < length; i++)
            {
                double exact = 0;
                for (int r = 0; r < worldSize; r++)
                {
                    exact += (float)Math.sin(i * 0.37 + r);
                }
                worst = Math.max(worst, Math.abs(results.get(0)[i] - exact));
            }
            assertTrue(worst < bound, "worst error " + worst + " against bound " + bound);
            assertTrue(worst > 0, "an 8-bit codec cannot have been exact on sines");
            for (int r = 1; r < worldSize; r++)
            {
                assertArrayEquals(results.get(0), results.get(r), "rank " + r + " differs from rank 0");
            }
        }
    }

    /**
     * Truncation to bfloat16 loses bits on sines, so the result shows the algorithm: segment k's sum starts at
     * rank k, each next rank adds the decoding of what it received to its own floats, and the owner's encoding
     * of the last partial sum is what every rank ends with.
     */
    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 4 })
    void lossySumEqualsTheRingComputedElementByElement(final int worldSize) throws Exception
    {
        final WireCodec codec = new TestCodecs.Truncating();
        final int chunk = CodedFloats.chunkFloats(codec, MAX_PAYLOAD);
        final int length = 2 * chunk * worldSize + 333;
        try (LocalRing ring = LocalRing.start(worldSize, ctx -> { }))
        {
            final List<float[]> results = ring.onEveryRank(transport ->
            {
                final ByteBuffer data = floats(length);
                for (int i = 0; i < length; i++)
                {
                    data.putFloat(i * Float.BYTES, sine(transport.rank(), i));
                }
                transport.collective().allReduce(data, length, codec, 3L);
                return read(data, length);
            });
            final long chunks = (length + chunk - 1) / chunk;
            for (int i = 0; i < length; i++)
            {
                int segment = 0;
                while (Math.min(length, chunks * (segment + 1) / worldSize * chunk) <= i)
                {
                    segment++;
                }
                float partial = sine(segment, i);
                for (int hop = 1; hop < worldSize; hop++)
                {
                    partial = sine((segment + hop) % worldSize, i) + truncate(partial);
                }
                for (int r = 0; r < worldSize; r++)
                {
                    assertEquals(truncate(partial), results.get(r)[i], "rank " + r + " index " + i);
                }
            }
        }
    }

    private static float sine(final int rank, final int index)
    {
        return (float)Math.sin(index * 0.011 + rank * 1.7);
    }

    private static float truncate(final float value)
    {
        return Float.intBitsToFloat(Float.floatToRawIntBits(value) & 0xFFFF0000);
    }

    @Test
    void chunkHoldsTheMostFloatsWhoseEncodingFits()
    {
        assertEquals(500, CodedFloats.chunkFloats(new TestCodecs.Truncating(), 1000));
        assertEquals(996, CodedFloats.chunkFloats(new TestCodecs.Stochastic8(), 1000));
        assertEquals(1, CodedFloats.chunkFloats(new TestCodecs.Stochastic8(), 3));
    }
}
