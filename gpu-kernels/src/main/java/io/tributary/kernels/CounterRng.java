package io.tributary.kernels;

/**
 * A counter-based random number: a pure function of (seed, index), so a GPU thread can draw the number for
 * element i without any shared state and reproduce the CPU bit for bit. It is the SplitMix64 finaliser
 * applied to {@code seed + (index + 1) * golden}; the CUDA twin is tk::uniform
 * in gpu-kernels/src/main/cuda/tk_device.cuh.
 */
public final class CounterRng
{
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
    private static final float TWO_POW_MINUS_24 = 0x1p-24f;

    private CounterRng()
    {
    }

    public static long mix(final long seed, final long index)
    {
        long z = seed + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) on a grid of 2^-24: exact in float, so no rounding can differ between devices. */
    public static float uniform(final long seed, final long index)
    {
        return (int)(mix(seed, index) >>> 40) * TWO_POW_MINUS_24;
    }
}
