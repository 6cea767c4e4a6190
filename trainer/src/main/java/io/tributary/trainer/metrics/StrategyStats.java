package io.tributary.trainer.metrics;

import java.util.List;

/**
 * The names of a step-level strategy's own per-step measurements, as they appear under {@code strategy} in a node's
 * object of metrics.json (each {@code {p50, p90, p99, max, mean}}).
 */
public final class StrategyStats
{
    /** How many steps the slowest node was behind at each local step, as this node last heard (async). */
    public static final String STALENESS_STEPS = "staleness_steps";
    /** How long each local step waited for the slowest node, in milliseconds (async). */
    public static final String WAIT_MS = "wait_ms";
    /** Every key, in metrics.json's order. */
    public static final List<String> KEYS = List.of(STALENESS_STEPS, WAIT_MS);

    private StrategyStats()
    {
    }
}
