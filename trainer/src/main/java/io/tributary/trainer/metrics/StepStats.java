package io.tributary.trainer.metrics;

import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.Histogram;

/**
 * Percentiles and mean of a per-step quantity: for durations, in milliseconds. The mean times the count is the
 * total, so two phases' means give the share of step time one of them takes.
 */
public record StepStats(double p50, double p90, double p99, double max, double mean)
{
    public static final StepStats NONE = new StepStats(0, 0, 0, 0, 0);

    /** Percentiles of a histogram of microseconds; zeros when it is empty. */
    public static StepStats of(final Histogram micros)
    {
        if (micros.getTotalCount() == 0)
        {
            return NONE;
        }
        return new StepStats(ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
            ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()), micros.getMean() / 1000.0);
    }

    /** Percentiles of a histogram of counts (steps, rounds), in that unit; zeros when it is empty. */
    public static StepStats ofCounts(final Histogram counts)
    {
        if (counts.getTotalCount() == 0)
        {
            return NONE;
        }
        return new StepStats(counts.getValueAtPercentile(50), counts.getValueAtPercentile(90),
            counts.getValueAtPercentile(99), counts.getMaxValue(), counts.getMean());
    }

    /** Percentiles of a histogram of values in their own unit; zeros when it is empty. */
    public static StepStats of(final DoubleHistogram values)
    {
        if (values.getTotalCount() == 0)
        {
            return NONE;
        }
        return new StepStats(values.getValueAtPercentile(50), values.getValueAtPercentile(90),
            values.getValueAtPercentile(99), values.getMaxValue(), values.getMean());
    }

    private static double ms(final long micros)
    {
        return micros / 1000.0;
    }
}
