package io.tributary.trainer.balance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shares in proportion to measured speed, taken only when they shorten the slowest device's time enough. */
class SharePlannerTest
{
    @Test
    void aThreeTimesSlowerDeviceGetsAThirdOfTheOtherShare()
    {
        final double[] planned = new double[2];
        assertTrue(SharePlanner.plan(new double[]{ 1e-4, 3e-4 }, new double[]{ 1, 1 }, 0.05, planned));
        assertArrayEquals(new double[]{ 1.5, 0.5 }, planned, 1e-12);
        // At those shares both finish together: planning again from the same speeds changes nothing.
        final double[] again = new double[2];
        assertFalse(SharePlanner.plan(new double[]{ 1e-4, 3e-4 }, planned, 0.05, again));
        assertArrayEquals(planned, again);
    }

    @Test
    void changesSmallerThanTheThresholdAreNotTaken()
    {
        final double[] planned = new double[3];
        final double[] current = { 1, 1, 1 };
        // The slowest device is 4% slower than the others: a new cut would save under 5%.
        assertFalse(SharePlanner.plan(new double[]{ 1.0e-4, 1.0e-4, 1.04e-4 }, current, 0.05, planned));
        assertArrayEquals(current, planned);
        assertTrue(SharePlanner.plan(new double[]{ 1.0e-4, 1.0e-4, 1.04e-4 }, current, 0.01, planned));
    }

    @Test
    void anUnmeasuredDeviceKeepsTheSharesAsTheyAre()
    {
        final double[] planned = new double[2];
        assertFalse(SharePlanner.plan(new double[]{ 1e-4, 0 }, new double[]{ 2, 1 }, 0, planned));
        assertArrayEquals(new double[]{ 2, 1 }, planned);
    }

    @Test
    void noShareFallsBelowTheFloor()
    {
        final double[] planned = new double[2];
        assertTrue(SharePlanner.plan(new double[]{ 1e-6, 1 }, new double[]{ 1, 1 }, 0, planned));
        assertTrue(planned[1] >= SharePlanner.MIN_SHARE, "kept a slice to be measured on: " + planned[1]);
    }
}
