package io.tributary.trainer.data;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the examples: a Fisher-Yates permutation determined only by
 * (seed, epoch), so every replica, node and rerun agrees on it without communicating.
 */
public final class EpochShuffle
{
    private EpochShuffle()
    {
    }

    public static int[] order(final int size, final long seed, final int epoch)
    {
        final int[] order = new int[size];
        fill(order, seed, epoch);
        return order;
    }

    /** Refills {@code order} with the permutation for (seed, epoch), reusing the array. */
    public static void fill(final int[] order, final long seed, final int epoch)
    {
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        final SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = order.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
