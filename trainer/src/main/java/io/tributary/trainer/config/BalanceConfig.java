package io.tributary.trainer.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How every global batch is cut between the job's devices ({@code cluster.shares}, {@code cluster.balance}):
 * in proportion to one weight per device, node-major ({@code shares}; empty: all equal), fixed, or, under
 * {@code measured}, recomputed every {@code everySteps} steps from each device's measured time per example so
 * that all finish together. A new cut is taken only when it shortens the predicted slowest device's compute by
 * more than {@code threshold} (a fraction), so that measurement noise does not make the shares oscillate.
 */
public record BalanceConfig(String mode, List<Double> shares, int everySteps, double threshold)
{
    public static final String EQUAL = "equal";
    public static final String MEASURED = "measured";
    public static final int DEFAULT_EVERY_STEPS = 50;
    public static final double DEFAULT_THRESHOLD = 0.05;
    public static final BalanceConfig NONE = new BalanceConfig(EQUAL, List.of(), DEFAULT_EVERY_STEPS,
        DEFAULT_THRESHOLD);

    public BalanceConfig
    {
        shares = List.copyOf(shares);
    }

    public boolean measured()
    {
        return MEASURED.equals(mode);
    }

    /** Whether every device always gets the same share (no shares given, nothing measured). */
    public boolean even()
    {
        return !measured() && shares.stream().distinct().count() <= 1;
    }

    /** The shares a run starts from: {@code shares}, or 1 per device when none are given. */
    public double[] initialShares(final int workers)
    {
        final double[] initial = new double[workers];
        Arrays.fill(initial, 1.0);
        for (int i = 0; i < shares.size() && i < workers; i++)
        {
            initial[i] = shares.get(i);
        }
        return initial;
    }

    /** The same mode with equal initial shares. */
    public BalanceConfig withoutShares()
    {
        return new BalanceConfig(mode, List.of(), everySteps, threshold);
    }

    /** Reads the balance keys of the {@code cluster} section. */
    /** @param layout the devices as a user reads them: "2 node(s) x 3 device(s)" or "devices [4, 2]" */
    static BalanceConfig read(final ConfigReader r, final int workers, final String layout)
    {
        final String mode = r.choice("balance", EQUAL, EQUAL, MEASURED);
        final List<Double> shares = r.numberList("shares", List.of(), 0);
        if (!shares.isEmpty() && shares.size() != workers)
        {
            throw r.error("shares", "expected one share per device, node by node: " + workers + " numbers (" + layout +
                "), got " + shares.size());
        }
        final int every = r.integer("balance_every", DEFAULT_EVERY_STEPS, 1, Integer.MAX_VALUE);
        final double threshold = r.number("balance_threshold", DEFAULT_THRESHOLD, 0, false, 0.9);
        if (!MEASURED.equals(mode))
        {
            for (final String key : new String[] { "balance_every", "balance_threshold" })
            {
                if (r.has(key))
                {
                    throw r.error(key, "applies to cluster.balance: measured only; this run has balance " + mode);
                }
            }
        }
        return new BalanceConfig(mode, shares, every, threshold);
    }

    void putInto(final Map<String, Object> cluster)
    {
        if (!shares.isEmpty())
        {
            cluster.put("shares", shares);
        }
        cluster.put("balance", mode);
        if (measured())
        {
            cluster.put("balance_every", everySteps);
            cluster.put("balance_threshold", threshold);
        }
    }
}
