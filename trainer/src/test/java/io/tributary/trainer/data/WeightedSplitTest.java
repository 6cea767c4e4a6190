package io.tributary.trainer.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cuts in proportion to shares: whole, contiguous, within one example of the quota, and BatchSplit's when equal. */
class WeightedSplitTest
{
    @Test
    void equalSharesCutAsBatchSplit()
    {
        for (int parts = 1; parts <= 9; parts++)
        {
            final double[] equal = new double[parts];
            Arrays.fill(equal, 2.5);
            for (int size = 0; size <= 40; size++)
            {
                for (int part = 0; part < parts; part++)
                {
                    assertEquals(BatchSplit.sliceSize(size, parts, part), WeightedSplit.sliceSize(size, equal, 0, parts, part));
                    assertEquals(BatchSplit.sliceStart(size, parts, part), WeightedSplit.sliceStart(size, equal, 0, parts, part));
                }
            }
        }
    }

    @Test
    void threeToOneCutsAGlobalBatchOf128Into96And32()
    {
        final double[] shares = { 3, 1 };
        assertArrayEquals(new int[]{ 96, 32 }, sizes(128, shares));
        assertArrayEquals(new int[]{ 5, 2 }, sizes(7, shares), "5.25 and 1.75: the larger remainder, .75, wins the example");
        assertArrayEquals(new int[]{ 1, 0 }, sizes(1, shares));
    }

    @Test
    void randomSharesCutWholeBatchesWithinOneExampleOfTheQuota()
    {
        final Random random = new Random(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            final int parts = 1 + random.nextInt(8);
            final int offset = random.nextInt(3);
            final double[] shares = new double[offset + parts];
            double total = 0;
            for (int i = 0; i < parts; i++)
            {
                shares[offset + i] = 0.01 + random.nextDouble() * (random.nextBoolean() ? 1 : 100);
                total += shares[offset + i];
            }
            final int size = random.nextInt(300);
            int start = 0;
            for (int part = 0; part < parts; part++)
            {
                final int slice = WeightedSplit.sliceSize(size, shares, offset, parts, part);
                assertEquals(start, WeightedSplit.sliceStart(size, shares, offset, parts, part));
                final double quota = size * shares[offset + part] / total;
                assertTrue(Math.abs(slice - quota) < 1, slice + " against quota " + quota);
                start += slice;
            }
            assertEquals(size, start, "the slices make the whole batch");
        }
    }

    private static int[] sizes(final int size, final double[] shares)
    {
        final int[] sizes = new int[shares.length];
        for (int i = 0; i < shares.length; i++)
        {
            sizes[i] = WeightedSplit.sliceSize(size, shares, 0, shares.length, i);
        }
        return sizes;
    }
}
