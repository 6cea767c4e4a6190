package io.tributary.kernels;

/**
 * The QSGD-style 8-bit quantiser, per element. For a bucket with scale {@code s = max |g|} (a larger value
 * wins a comparison {@code a > m}, so NaN never becomes the scale) an element g maps to
 * {@code v = fl(fl(|g| / s) * 127)} in [0, 127], then to {@code q = floor(v) + (u < v - floor(v) ? 1 : 0)}
 * with {@code u = CounterRng.uniform(seed, index)}, and the code is {@code sign(g) * q}. So
 * {@code E[q] = v} and the decoded {@code q * s / 127} is an unbiased estimate of g up to the rounding of v
 * (relative 2^-23). A bucket with scale 0 gives codes 0. Inputs must be finite: an infinite element makes
 * its bucket's decoded values NaN or zero, deterministically but meaninglessly.
 */
public final class StochasticQuantiser
{
    public static final float LEVELS = 127.0f;

    private StochasticQuantiser()
    {
    }

    public static byte quantise(final float g, final float scale, final long seed, final long index)
    {
        if (!(scale > 0.0f))
        {
            return 0;
        }
        final float v = Math.abs(g) / scale * LEVELS;
        final float floor = (float)Math.floor(v);
        final int q = (int)floor + (CounterRng.uniform(seed, index) < v - floor ? 1 : 0);
        return (byte)(g < 0.0f ? -q : q);
    }

    /** A NaN result (a NaN or infinite bucket scale) is the canonical {@link Float#NaN}, bit for bit on every device. */
    public static float dequantise(final byte code, final float scale)
    {
        final float value = code * scale / LEVELS;
        return value != value ? Float.NaN : value;
    }
}
