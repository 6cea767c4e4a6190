package io.tributary.kernels;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static io.tributary.kernels.Buffers.direct;

/** Deterministic test inputs shared by the parity tests and the reference vectors for bench/gpu-check.sh. */
final class ReferenceData
{
    private ReferenceData()
    {
    }

    /** Gaussian values with magnitudes spread over a few decades, like real gradients. */
    static ByteBuffer gradient(final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer b = direct(n * 4);
        for (int i = 0; i < n; i++)
        {
            b.putFloat(i << 2, (float)(random.nextGaussian() * Math.exp(random.nextDouble(-4, 2))));
        }
        return b;
    }

    /** The edges of the conversions: NaNs, infinities, subnormals, overflow, exact ties, plus random bits. */
    static ByteBuffer specialFloats(final int n, final long seed)
    {
        final float[] edges = {0.0f, -0.0f, Float.NaN, Float.intBitsToFloat(0xFF81_2345), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, 65504.0f, 65519.0f, 65520.0f,
            -65520.0f, 0x1p-14f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1.4p-23f, 1.0f + 0x1p-11f, 1.0f + 0x1.8p-10f,
            Float.intBitsToFloat(0x3F80_8000), Float.intBitsToFloat(0x3F81_8000), Float.intBitsToFloat(0x7F7F_FFFF)};
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer b = direct(n * 4);
        for (int i = 0; i < n; i++)
        {
            final float value;
            if (i < edges.length)
            {
                value = edges[i];
            }
            else if (i % 3 == 0)
            {
                value = Float.intBitsToFloat(random.nextInt());
            }
            else if (i % 3 == 1)
            {
                // Exact binary16 and bfloat16 ties: a 12-bit or 9-bit significand ending in 1.
                final int exponent = random.nextInt(90, 160) << 23;
                final int tie = (random.nextInt() & 0x007F_E000) | 0x1000;
                value = Float.intBitsToFloat(exponent | (random.nextBoolean() ? tie : (tie & 0x007F_0000) | 0x8000));
            }
            else
            {
                value = (float)(random.nextGaussian() * Math.scalb(1.0, random.nextInt(-30, 20)));
            }
            b.putFloat(i << 2, value);
        }
        return b;
    }

    /** Codes spread over all 65536 values (a stride coprime to 2^16), for the unpack kernels. */
    static ByteBuffer allShorts(final int n)
    {
        final ByteBuffer b = direct(n * 2);
        for (int i = 0; i < n; i++)
        {
            b.putShort(i << 1, (short)(i * 40_503));
        }
        return b;
    }

    /**
     * Subnormals of both signs (random significands, exponent field 0) mixed with zeros and the smallest
     * normals: sums of these stay subnormal, so a kernel that flushes subnormals to zero shows at once.
     */
    static ByteBuffer subnormals(final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer b = direct(n * 4);
        for (int i = 0; i < n; i++)
        {
            final int sign = random.nextBoolean() ? 0x8000_0000 : 0;
            final int bits = switch (i % 8)
            {
                case 0 -> 0;
                case 1 -> 0x0080_0000 | random.nextInt(0x0080_0000);
                default -> random.nextInt(1, 0x0080_0000);
            };
            b.putFloat(i << 2, Float.intBitsToFloat(sign | bits));
        }
        return b;
    }

    /**
     * Buckets of 8 for the quantiser's edges, one kind each: all +0, signed zeros, a NaN, +infinity,
     * -infinity, only subnormals, MAX_VALUE beside tiny values, ordinary values; then repeats with random bits.
     */
    static ByteBuffer quantiserEdges(final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer b = direct(n * 4);
        for (int i = 0; i < n; i++)
        {
            final float ordinary = (float)random.nextGaussian();
            final float value = switch ((i >> 3) % 8)
            {
                case 0 -> 0.0f;
                case 1 -> (i & 1) == 0 ? -0.0f : 0.0f;
                case 2 -> (i & 7) == 3 ? Float.NaN : ordinary;
                case 3 -> (i & 7) == 5 ? Float.POSITIVE_INFINITY : ordinary;
                case 4 -> (i & 7) == 0 ? Float.NEGATIVE_INFINITY : ordinary;
                case 5 -> Float.intBitsToFloat((random.nextBoolean() ? 0x8000_0000 : 0) | random.nextInt(1, 0x0080_0000));
                case 6 -> (i & 7) == 2 ? -Float.MAX_VALUE : ordinary * 1e-30f;
                default -> i >= 64 ? Float.intBitsToFloat(random.nextInt()) : ordinary;
            };
            b.putFloat(i << 2, value);
        }
        return b;
    }

    /** Small integers with signs: many exact ties in magnitude, for top-k's tie-breaking. */
    static ByteBuffer tiedValues(final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer b = direct(n * 4);
        for (int i = 0; i < n; i++)
        {
            b.putFloat(i << 2, random.nextInt(-12, 13) * 0.5f);
        }
        return b;
    }
}
