package io.tributary.trainer.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Epoch coverage: across every node and device of the world, each example is trained exactly once per epoch. */
class DataSharderTest
{
    /** examples, batch size, nodes, devices: even and uneven last batches, last batches smaller than the world. */
    private static final int[][] WORLDS = {
        { 64, 16, 1, 1 }, { 64, 16, 2, 2 }, { 100, 16, 2, 2 }, { 70, 16, 3, 1 }, { 97, 10, 3, 4 },
        { 10, 4, 3, 2 }, { 255, 128, 4, 8 }, { 7, 7, 7, 1 }, { 1000, 33, 5, 3 },
    };

    /** examples, batch size, then each node's device count: nodes of different sizes. */
    private static final int[][] RAGGED_WORLDS = {
        { 64, 16, 4, 2 }, { 100, 15, 1, 3 }, { 97, 10, 2, 1, 3 }, { 10, 7, 4, 1, 2 }, { 1000, 33, 8, 1, 1, 5 },
    };

    @Test
    void everyExampleIsUsedExactlyOncePerEpochAcrossTheWorld()
    {
        assertEveryExampleOnce(false);
    }

    @Test
    void unevenSharesStillUseEveryExampleExactlyOnce()
    {
        assertEveryExampleOnce(true);
    }

    @Test
    void aNodeShareIsTheSumOfItsDevices()
    {
        final DataSharder sharder = new DataSharder(1000, 120, 2, 2);
        sharder.use(new double[]{ 3, 1, 1, 1 });
        assertEquals(80, sharder.nodeSize(0, 0), "node 0 holds 4 of 6 shares");
        assertEquals(40, sharder.nodeSize(0, 1));
        assertArrayEquals(new int[]{ 60, 20, 20, 20 }, new int[]{ sharder.deviceSize(0, 0, 0), sharder.deviceSize(0, 0, 1),
            sharder.deviceSize(0, 1, 0), sharder.deviceSize(0, 1, 1) });
        assertThrows(IllegalArgumentException.class, () -> sharder.use(new double[]{ 1, 1, 0, 1 }));
        assertThrows(IllegalArgumentException.class, () -> sharder.use(new double[]{ 1, 1 }));
    }

    @Test
    void nodesOfDifferentSizesStillUseEveryExampleExactlyOnce()
    {
        for (final int[] w : RAGGED_WORLDS)
        {
            assertEveryExampleOnce(w[0], w[1], Arrays.copyOfRange(w, 2, w.length), false, null);
            assertEveryExampleOnce(w[0], w[1], Arrays.copyOfRange(w, 2, w.length), true, new java.util.Random(5));
        }
    }

    @Test
    void aNodeOfFourDevicesGetsTwiceTheSliceOfANodeOfTwo()
    {
        final DataSharder sharder = new DataSharder(1000, 120, new int[]{ 4, 2 });
        assertEquals(6, sharder.workers());
        assertEquals(4, sharder.firstDevice(1));
        assertArrayEquals(new int[]{ 80, 40 }, new int[]{ sharder.nodeSize(0, 0), sharder.nodeSize(0, 1) });
        for (int device = 0; device < 4; device++)
        {
            assertEquals(20, sharder.deviceSize(0, 0, device));
        }
        assertArrayEquals(new int[]{ 20, 20 }, new int[]{ sharder.deviceSize(0, 1, 0), sharder.deviceSize(0, 1, 1) });
        assertEquals(80 + 20, sharder.deviceFrom(0, 1, 1));
        sharder.use(new double[]{ 1, 1, 1, 1, 2, 2 });
        assertArrayEquals(new int[]{ 60, 60 }, new int[]{ sharder.nodeSize(0, 0), sharder.nodeSize(0, 1) },
            "shares weigh nodes by their devices' sum, not their count");
        assertArrayEquals(new double[]{ 2, 2 }, sharder.sharesOf(1));
        assertThrows(IllegalArgumentException.class, () -> sharder.use(new double[]{ 1, 1, 1, 1 }));
    }

    private static void assertEveryExampleOnce(final boolean uneven)
    {
        final java.util.Random random = new java.util.Random(11);
        for (final int[] w : WORLDS)
        {
            final int[] devices = new int[w[2]];
            Arrays.fill(devices, w[3]);
            assertEveryExampleOnce(w[0], w[1], devices, uneven, random);
        }
    }

    private static void assertEveryExampleOnce(final int examples, final int batch, final int[] devices,
        final boolean uneven, final java.util.Random random)
    {
        final DataSharder sharder = new DataSharder(examples, batch, devices);
        if (uneven)
        {
            final double[] shares = new double[sharder.workers()];
            for (int i = 0; i < shares.length; i++)
            {
                shares[i] = 0.1 + 5 * random.nextDouble();
            }
            sharder.use(shares);
        }
        final String world = examples + " examples, batch " + batch + ", devices " + Arrays.toString(devices) +
            (uneven ? " " + Arrays.toString(sharder.shares()) : "");
        for (int epoch = 0; epoch < 2; epoch++)
        {
            final int[] order = EpochShuffle.order(examples, 42, epoch);
            final int[] uses = new int[examples];
            for (int step = 0; step < sharder.stepsPerEpoch(); step++)
            {
                int next = step * batch;
                for (int node = 0; node < devices.length; node++)
                {
                    assertEquals(next, sharder.nodeFrom(step, node), world + " node slices are contiguous");
                    for (int device = 0; device < devices[node]; device++)
                    {
                        assertEquals(next, sharder.deviceFrom(step, node, device), world + " device slices too");
                        for (int i = 0; i < sharder.deviceSize(step, node, device); i++)
                        {
                            uses[order[next++]]++;
                        }
                    }
                    assertEquals(sharder.nodeFrom(step, node) + sharder.nodeSize(step, node), next, world);
                }
                assertEquals(step * batch + sharder.batchSize(step), next, world + " step " + step + " is whole");
            }
            final int[] once = new int[examples];
            Arrays.fill(once, 1);
            assertArrayEquals(once, uses, world + " epoch " + epoch);
        }
    }

    @Test
    void slicesDifferByAtMostOneAndTheLastBatchIsShort()
    {
        final DataSharder sharder = new DataSharder(100, 16, 3, 2);
        assertEquals(7, sharder.stepsPerEpoch());
        assertEquals(16, sharder.batchSize(5));
        assertEquals(4, sharder.batchSize(6));
        assertArrayEquals(new int[]{ 6, 5, 5 }, new int[]{ sharder.nodeSize(0, 0), sharder.nodeSize(0, 1), sharder.nodeSize(0, 2) });
        assertArrayEquals(new int[]{ 2, 1, 1 }, new int[]{ sharder.nodeSize(6, 0), sharder.nodeSize(6, 1), sharder.nodeSize(6, 2) });
        assertArrayEquals(new int[]{ 1, 1, 1, 0 }, new int[]{ sharder.deviceSize(6, 0, 0), sharder.deviceSize(6, 0, 1),
            sharder.deviceSize(6, 1, 0), sharder.deviceSize(6, 1, 1) }, "a device may get nothing in a short batch");
        assertEquals(96 + 3, sharder.deviceFrom(6, 2, 0));
    }

    @Test
    void theOrderIsAPureFunctionOfSeedAndEpoch()
    {
        assertArrayEquals(EpochShuffle.order(500, 7, 3), EpochShuffle.order(500, 7, 3));
        assertFalse(Arrays.equals(EpochShuffle.order(500, 7, 3), EpochShuffle.order(500, 7, 4)));
        assertFalse(Arrays.equals(EpochShuffle.order(500, 7, 3), EpochShuffle.order(500, 8, 3)));
        final int[] sorted = EpochShuffle.order(500, 7, 3);
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++)
        {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void anEmptyWorldIsRefused()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DataSharder(10, 4, 0, 1)).getMessage()
            .contains("devices []"));
    }
}
