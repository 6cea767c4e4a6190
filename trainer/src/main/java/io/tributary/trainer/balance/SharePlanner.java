package io.tributary.trainer.balance;

/**
 * The shares that make every device finish its slice together, from each device's measured seconds per example:
 * a device's new share is its speed (1 / seconds per example). A pure function, so nodes that plan from the same
 * gathered numbers get the same shares. The plan is taken only when it shortens the predicted slowest device's
 * time by more than the threshold, so noise in the measurements does not make the shares oscillate; repeated
 * plans converge on the shares at which all devices finish together.
 */
public final class SharePlanner
{
    /** No share falls below this fraction of the mean: every device keeps a slice to be measured on. */
    static final double MIN_SHARE = 0.01;

    private SharePlanner()
    {
    }

    /**
     * @param secondsPerExample each device's measurement, node-major; a value that is not positive means unmeasured
     * @param current           the shares in use
     * @param threshold         the fraction by which the predicted step must shorten
     * @param planned           receives the shares to use: the new ones, or a copy of {@code current}
     * @return whether {@code planned} differs from {@code current}
     */
    public static boolean plan(final double[] secondsPerExample, final double[] current, final double threshold,
        final double[] planned)
    {
        final int workers = current.length;
        System.arraycopy(current, 0, planned, 0, workers);
        double speeds = 0;
        for (final double seconds : secondsPerExample)
        {
            if (!(seconds > 0) || Double.isInfinite(seconds))
            {
                return false;
            }
            speeds += 1 / seconds;
        }
        final double before = slowest(current, secondsPerExample);
        for (int i = 0; i < workers; i++)
        {
            // Four decimals: readable in metrics.json, and the same on every node all the same.
            final double share = Math.max(MIN_SHARE, workers / secondsPerExample[i] / speeds);
            planned[i] = Math.round(share * 10_000) / 10_000.0;
        }
        if (slowest(planned, secondsPerExample) < before * (1 - threshold))
        {
            return true;
        }
        System.arraycopy(current, 0, planned, 0, workers);
        return false;
    }

    /** The predicted time of the slowest device per example of the global batch: max of share / total x seconds. */
    static double slowest(final double[] shares, final double[] secondsPerExample)
    {
        double total = 0;
        for (final double share : shares)
        {
            total += share;
        }
        double slowest = 0;
        for (int i = 0; i < shares.length; i++)
        {
            slowest = Math.max(slowest, shares[i] / total * secondsPerExample[i]);
        }
        return slowest;
    }
}
