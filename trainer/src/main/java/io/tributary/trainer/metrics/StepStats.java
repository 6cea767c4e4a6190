package io.tributary.trainer.metrics;

/** Step duration percentiles in milliseconds. */
public record StepStats(double p50, double p90, double p99, double max)
{
}
