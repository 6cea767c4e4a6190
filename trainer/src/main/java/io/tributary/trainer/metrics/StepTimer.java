package io.tributary.trainer.metrics;

import org.HdrHistogram.Histogram;

/** Records step durations in microseconds (3 significant digits, up to an hour) for percentile reporting. */
public final class StepTimer
{
    private static final long MAX_MICROS = 3_600_000_000L;
    private final Histogram histogram = new Histogram(MAX_MICROS, 3);
    private long totalNanos;

    public void record(final long nanos)
    {
        totalNanos += nanos;
        histogram.recordValue(Math.min(MAX_MICROS, Math.max(1, nanos / 1000)));
    }

    public long totalNanos()
    {
        return totalNanos;
    }

    public long count()
    {
        return histogram.getTotalCount();
    }

    public StepStats stats()
    {
        return StepStats.of(histogram);
    }
}
