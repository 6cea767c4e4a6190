package io.tributary.kernels;

import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static io.tributary.kernels.Buffers.direct;
import static io.tributary.kernels.Buffers.floats;
import static io.tributary.kernels.Buffers.ints;
import static io.tributary.kernels.Buffers.toFloats;
import static io.tributary.kernels.Buffers.toInts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CpuSparseCodecTest
{
    private final CpuGradientKernels kernels = new CpuGradientKernels();

    @Test
    void thresholdSendsSignedIndicesAndKeepsTheRest()
    {
        final ByteBuffer residual = floats(0.1f, -0.5f, 0.5f, 1.25f, Float.NaN, -0.4999f, Float.NEGATIVE_INFINITY);
        final ByteBuffer encoded = direct(7 * 4);
        final int written = kernels.thresholdEncode(residual, 7, 0.5f, encoded, 7);
        assertArrayEquals(new int[]{-2, 3, 4, -7}, toInts(encoded, written));
        assertArrayEquals(new float[]{0.1f, 0.0f, 0.0f, 0.75f, Float.NaN, -0.4999f, Float.NEGATIVE_INFINITY}, toFloats(residual, 7));
    }

    @Test
    void thresholdCapacitySendsTheLowestIndicesFirst()
    {
        final ByteBuffer residual = floats(1, -1, 1, -1, 1);
        final ByteBuffer encoded = direct(2 * 4);
        assertEquals(2, kernels.thresholdEncode(residual, 5, 1.0f, encoded, 2));
        assertArrayEquals(new int[]{1, -2}, toInts(encoded, 2));
        assertArrayEquals(new float[]{0, 0, 1, -1, 1}, toFloats(residual, 5));
    }

    @Test
    void thresholdDecodeAddsSignedTauAndSkipsForeignIndices()
    {
        final ByteBuffer out = floats(1, 1, 1);
        final int applied = kernels.thresholdDecode(ints(1, -3, 0, 4, Integer.MIN_VALUE, -1), 6, 0.25f, out, 3);
        assertEquals(3, applied);
        assertArrayEquals(new float[]{1.0f, 1.0f, 0.75f}, toFloats(out, 3));
    }

    @Test
    void decodersKeepSubnormals()
    {
        final float tau = 1e-39f;
        final ByteBuffer out = floats(0, 1e-40f, 0);
        assertEquals(2, kernels.thresholdDecode(ints(1, -2), 2, tau, out, 3));
        assertEquals(1, kernels.topKDecode(ints(2), floats(Float.MIN_VALUE), 1, out, 3));
        assertArrayEquals(new float[]{tau, 1e-40f - tau, Float.MIN_VALUE}, toFloats(out, 3));
    }

    @Test
    void topKPicksLargestMagnitudesWithTiesToTheLowerIndex()
    {
        final ByteBuffer residual = floats(1, -3, 3, 0.5f, -3, 2, Float.NaN, -0.0f, 0.0f);
        final ByteBuffer indices = direct(4 * 4);
        final ByteBuffer values = direct(4 * 4);
        kernels.topK(residual, 9, 4, indices, values);
        assertArrayEquals(new int[]{1, 2, 4, 6}, toInts(indices, 4), "NaN, then the three 3s");
        assertArrayEquals(new float[]{-3, 3, -3, Float.NaN}, toFloats(values, 4));
        assertArrayEquals(new float[]{1, 0, 0, 0.5f, 0, 2, 0, -0.0f, 0.0f}, toFloats(residual, 9));

        kernels.topK(residual, 9, 3, indices, values);
        assertArrayEquals(new int[]{0, 3, 5}, toInts(indices, 3));
        kernels.topK(residual, 9, 2, indices, values);
        assertArrayEquals(new int[]{0, 1}, toInts(indices, 2), "all zero now (-0 ties +0): the lowest indices win");
    }

    @Test
    void topKMatchesASortOnRandomDataWithManyTies()
    {
        final SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++)
        {
            final int n = 1 + random.nextInt(3000);
            final int k = random.nextInt(n + 1);
            final float[] values = new float[n];
            for (int i = 0; i < n; i++)
            {
                values[i] = trial % 2 == 0 ? random.nextInt(-20, 20) : (float)random.nextGaussian();
            }
            final int[] expected = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> Float.floatToRawIntBits(values[i]) & 0x7FFF_FFFF).reversed()
                    .thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
            final ByteBuffer residual = floats(values);
            final ByteBuffer indices = direct(Math.max(k, 1) * 4);
            final ByteBuffer sent = direct(Math.max(k, 1) * 4);
            kernels.topK(residual, n, k, indices, sent);
            assertArrayEquals(expected, toInts(indices, k), "trial " + trial + " n " + n + " k " + k);
            for (int j = 0; j < k; j++)
            {
                assertEquals(values[expected[j]], sent.getFloat(j << 2));
                assertEquals(0.0f, residual.getFloat(expected[j] << 2));
            }
        }
    }

    /**
     * Error feedback: after T steps, the decoded messages plus the final residual equal the sum of the
     * inputs. Inputs are multiples of 2^-8 in [-4, 4] and tau = 2^-2, so every partial sum stays a multiple
     * of 2^-8 below 2^9 in magnitude, all float additions are exact, and equality is exact.
     */
    @Test
    void thresholdErrorFeedbackLosesNothing()
    {
        assertErrorFeedbackExact(true);
    }

    @Test
    void topKErrorFeedbackLosesNothing()
    {
        assertErrorFeedbackExact(false);
    }

    private void assertErrorFeedbackExact(final boolean threshold)
    {
        final int n = 2000;
        final int steps = 60;
        final float tau = 0.25f;
        final SplittableRandom random = new SplittableRandom(threshold ? 21 : 22);
        final ByteBuffer residual = direct(n * 4);
        final ByteBuffer received = direct(n * 4);
        final ByteBuffer gradient = direct(n * 4);
        final ByteBuffer encoded = direct(n * 4);
        final ByteBuffer values = direct(n * 4);
        final double[] inputSum = new double[n];
        for (int step = 0; step < steps; step++)
        {
            for (int i = 0; i < n; i++)
            {
                final float g = random.nextInt(-1024, 1025) * 0x1p-8f;
                gradient.putFloat(i << 2, g);
                inputSum[i] += g;
            }
            kernels.axpy(n, 1.0f, gradient, residual);
            if (threshold)
            {
                final int count = kernels.thresholdEncode(residual, n, tau, encoded, n / 10);
                assertEquals(count, kernels.thresholdDecode(encoded, count, tau, received, n));
            }
            else
            {
                final int k = 1 + random.nextInt(n / 10);
                kernels.topK(residual, n, k, encoded, values);
                assertEquals(k, kernels.topKDecode(encoded, values, k, received, n));
            }
        }
        final float[] total = new float[n];
        for (int i = 0; i < n; i++)
        {
            total[i] = received.getFloat(i << 2) + residual.getFloat(i << 2);
        }
        final float[] expected = new float[n];
        for (int i = 0; i < n; i++)
        {
            expected[i] = (float)inputSum[i];
        }
        assertArrayEquals(expected, total);
    }
}
