package io.tributary.trainer.compare;

import java.util.List;

/**
 * One training job of a comparison: strategy {@code strategy} (a {@link StrategyRegistry} name, or a peer such as
 * {@link #DDP}), repeat {@code repeat} (1-based), on {@code nodes} nodes, with the {@code --set} overrides
 * {@code sets}; {@code baseline} marks the one-node runs that scaling efficiency divides by.
 */
public record CompareCase(String strategy, int repeat, int nodes, List<String> sets, boolean baseline)
{
    /** The PyTorch DDP row's strategy name. */
    public static final String DDP = "pytorch-ddp";

    public CompareCase
    {
        sets = List.copyOf(sets);
    }

    /** The case's directory name under the comparison's cases/. */
    public String directory()
    {
        return strategy.replace('+', '_') + "-r" + repeat;
    }

    /** As a progress line names it. */
    public String describe(final int repeats)
    {
        return (baseline ? strategy + " (scaling baseline)" : strategy) +
            (repeats > 1 ? ", repeat " + repeat + "/" + repeats : "");
    }
}
