package io.tributary.kernels;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static io.tributary.kernels.Buffers.direct;
import static io.tributary.kernels.Buffers.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuQuantiseTest
{
    private final CpuGradientKernels kernels = new CpuGradientKernels();

    @Test
    void bucketMaximumMapsToFullScaleAndZeroToZero()
    {
        final ByteBuffer src = floats(3.0f, -1.5f, 0.0f, -0.0f, /* bucket 2 */ -6.0f, 2.0f, /* bucket 3 */ 0.0f);
        final ByteBuffer codes = direct(7);
        final ByteBuffer scales = direct(3 * 4);
        kernels.quantise8(src, 7, 4, 42L, codes, scales);
        assertEquals(3.0f, scales.getFloat(0));
        assertEquals(6.0f, scales.getFloat(4));
        assertEquals(0.0f, scales.getFloat(8));
        assertEquals(127, codes.get(0));
        assertEquals(0, codes.get(2));
        assertEquals(0, codes.get(3));
        assertEquals(-127, codes.get(4));
        assertEquals(0, codes.get(6));
        final int half = codes.get(1);
        assertTrue(half == -63 || half == -64, "-1.5 / 3 x 127 = -63.5 rounds to a neighbour, was " + half);

        final ByteBuffer decoded = direct(7 * 4);
        kernels.dequantise8(codes, scales, 7, 4, decoded);
        assertEquals(3.0f, decoded.getFloat(0));
        assertEquals(-6.0f, decoded.getFloat(16));
        assertEquals(0.0f, decoded.getFloat(24));
    }

    @Test
    void sameSeedSameCodesOtherSeedOtherCodes()
    {
        final int n = 4096;
        final ByteBuffer src = randomGradient(n, 3);
        final ByteBuffer a = direct(n);
        final ByteBuffer b = direct(n);
        final ByteBuffer c = direct(n);
        final ByteBuffer scales = direct(n / 256 * 4);
        kernels.quantise8(src, n, 256, 5L, a, scales);
        kernels.quantise8(src, n, 256, 5L, b, scales);
        kernels.quantise8(src, n, 256, 6L, c, scales);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    /**
     * Unbiasedness. Per seed, a decoded element is g + e with |e| < s / 127 and E[e] = 0 up to the rounding
     * of v (relative 2^-23), so Var(e) <= (s / 127)^2 / 4. Averaging S = 4000 seeds gives a standard error of
     * at most s / (127 * 2 * sqrt(4000)) = 6.2e-5 s; we demand |mean - g| <= 6 standard errors (a per-element
     * false alarm chance ~ 2e-9). A biased rounding (nearest, floor) misses by up to s / 254 = 3.9e-3 s.
     */
    @Test
    void decodedMeanOverManySeedsIsTheGradient()
    {
        final int n = 256;
        final int bucketSize = 64;
        final int seeds = 4000;
        final ByteBuffer src = randomGradient(n, 9);
        final ByteBuffer codes = direct(n);
        final ByteBuffer scales = direct(n / bucketSize * 4);
        final ByteBuffer decoded = direct(n * 4);
        final double[] sum = new double[n];
        double maxStep = 0;
        for (int seed = 0; seed < seeds; seed++)
        {
            kernels.quantise8(src, n, bucketSize, 1000L + seed, codes, scales);
            kernels.dequantise8(codes, scales, n, bucketSize, decoded);
            for (int i = 0; i < n; i++)
            {
                final float g = src.getFloat(i << 2);
                final float d = decoded.getFloat(i << 2);
                final float s = scales.getFloat(i / bucketSize << 2);
                maxStep = Math.max(maxStep, Math.abs(d - g) / s);
                sum[i] += d;
            }
        }
        assertTrue(maxStep <= 1.0 / 127 * (1 + 1e-5), "every decoded value lies on a neighbouring level, worst " + maxStep);
        for (int i = 0; i < n; i++)
        {
            final double s = scales.getFloat(i / bucketSize << 2);
            final double bound = 6 * s / (127 * 2 * Math.sqrt(seeds));
            final double error = sum[i] / seeds - src.getFloat(i << 2);
            assertTrue(Math.abs(error) <= bound, "element " + i + ": bias " + error + " > " + bound);
        }
    }

    @Test
    void counterRngIsUniformOnTheUnitInterval()
    {
        final int draws = 200_000;
        double sum = 0;
        final int[] bins = new int[10];
        for (int i = 0; i < draws; i++)
        {
            final float u = CounterRng.uniform(77L, i);
            assertTrue(u >= 0.0f && u < 1.0f);
            sum += u;
            bins[(int)(u * 10)]++;
        }
        // Mean of U(0,1): standard error sqrt(1/12 / 200000) = 6.5e-4; 6 of them.
        assertEquals(0.5, sum / draws, 6 * 6.5e-4);
        for (final int bin : bins)
        {
            // Binomial(200000, 0.1): sd 134; 6 sd.
            assertEquals(20_000, bin, 6 * 134);
        }
    }

    static ByteBuffer randomGradient(final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer b = direct(n * 4);
        for (int i = 0; i < n; i++)
        {
            b.putFloat(i << 2, (float)(random.nextGaussian() * Math.exp(random.nextDouble(-3, 3))));
        }
        return b;
    }
}
