package io.tributary.trainer.metrics;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-step duration of each {@link Phase} in microseconds (HdrHistogram, 3 significant digits, up to an hour).
 * Written by the step's coordinating thread only; recording allocates nothing.
 */
public final class PhaseHistograms
{
    private static final long MAX_MICROS = 3_600_000_000L;
    private final Histogram[] histograms = new Histogram[Phase.VALUES.length];

    public PhaseHistograms()
    {
        for (int i = 0; i < histograms.length; i++)
        {
            histograms[i] = new Histogram(MAX_MICROS, 3);
        }
    }

    public void record(final Phase phase, final long nanos)
    {
        histograms[phase.ordinal()].recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
    }

    public StepStats stats(final Phase phase)
    {
        return StepStats.of(histograms[phase.ordinal()]);
    }

    /** Every phase's percentiles, keyed by {@link Phase#label()} in step order. */
    public Map<String, StepStats> all()
    {
        final Map<String, StepStats> all = new LinkedHashMap<>();
        for (final Phase phase : Phase.VALUES)
        {
            all.put(phase.label(), stats(phase));
        }
        return all;
    }
}
