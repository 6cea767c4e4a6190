package io.tributary.kernels;

import java.nio.ByteBuffer;

/**
 * Finds the k-th largest magnitude key by a three-pass radix select over the 31 bits of |r| (11, 10 and
 * 10 bits), the same digits the CUDA twin uses. Keeps its histogram between calls: not thread-safe.
 */
final class TopKSelector
{
    private static final int[] SHIFTS = {20, 10, 0};
    private static final int[] DIGIT_BITS = {11, 10, 10};

    private final int[] histogram = new int[1 << 11];
    private int threshold;
    private int tiesToTake;

    /** The key of element i: the bits of |r[i]|, NaN above infinity. */
    static int key(final ByteBuffer residual, final int i)
    {
        return residual.getInt(i << 2) & 0x7FFF_FFFF;
    }

    /** After {@link #select}: the k-th largest key. */
    int threshold()
    {
        return threshold;
    }

    /** After {@link #select}: how many elements whose key equals the threshold are taken, lowest index first. */
    int tiesToTake()
    {
        return tiesToTake;
    }

    /** Requires 1 <= k <= n. */
    void select(final ByteBuffer residual, final int n, final int k)
    {
        int prefix = 0;
        int prefixMask = 0;
        int remaining = k;
        for (int pass = 0; pass < SHIFTS.length; pass++)
        {
            final int shift = SHIFTS[pass];
            final int bins = 1 << DIGIT_BITS[pass];
            java.util.Arrays.fill(histogram, 0, bins, 0);
            for (int i = 0; i < n; i++)
            {
                final int key = key(residual, i);
                if ((key & prefixMask) == prefix)
                {
                    histogram[(key >>> shift) & (bins - 1)]++;
                }
            }
            int digit = bins - 1;
            while (histogram[digit] < remaining)
            {
                remaining -= histogram[digit];
                digit--;
            }
            prefix |= digit << shift;
            prefixMask |= (bins - 1) << shift;
        }
        threshold = prefix;
        tiesToTake = remaining;
    }
}
