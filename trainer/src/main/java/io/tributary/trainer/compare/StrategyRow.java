package io.tributary.trainer.compare;

import java.util.List;

/**
 * One strategy's line of the report, over its repeats: how many ran and how many trained to the end, the status
 * (ok, or what went wrong), and the mean and spread (sample standard deviation; 0 for one run) of each number.
 * {@code secondsToTarget} averages the runs that reached the target, {@code reached} of them; scaling efficiency
 * is samples/s over {@code nodes} times the one-node baseline's.
 */
public record StrategyRow(String strategy, String status, int runs, int okRuns, Stat samplesPerSec,
    Stat testAccuracy, Stat secondsToTarget, int reached, double bytesPerStep, double commShare,
    double scalingEfficiency)
{
    /** Mean and sample standard deviation; NaN when there is nothing to average. */
    public record Stat(double mean, double sd)
    {
        static Stat of(final List<Double> values)
        {
            final List<Double> finite = values.stream().filter(Double::isFinite).toList();
            if (finite.isEmpty())
            {
                return new Stat(Double.NaN, Double.NaN);
            }
            final double mean = finite.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double squares = 0;
            for (final double value : finite)
            {
                squares += (value - mean) * (value - mean);
            }
            return new Stat(mean, finite.size() > 1 ? Math.sqrt(squares / (finite.size() - 1)) : 0);
        }
    }

    /** The row of {@code strategy} from its outcomes. */
    static StrategyRow of(final String strategy, final List<CaseOutcome> outcomes, final double target,
        final int nodes, final double baselineSamplesPerSec)
    {
        final List<CaseOutcome> ok = outcomes.stream().filter(CaseOutcome::ok).toList();
        final String status = ok.size() == outcomes.size() ? CaseOutcome.OK :
            ok.isEmpty() ? outcomes.get(0).status() :
            (outcomes.size() - ok.size()) + " of " + outcomes.size() + " runs: " +
                outcomes.stream().filter(o -> !o.ok()).findFirst().orElseThrow().status();
        final Stat sps = Stat.of(ok.stream().map(CaseOutcome::samplesPerSec).toList());
        final List<Double> times = ok.stream().map(o -> o.secondsTo(target)).filter(Double::isFinite).toList();
        return new StrategyRow(strategy, status, outcomes.size(), ok.size(), sps,
            Stat.of(ok.stream().map(CaseOutcome::testAccuracy).toList()), Stat.of(times), times.size(),
            Stat.of(ok.stream().map(CaseOutcome::bytesPerStep).toList()).mean(),
            Stat.of(ok.stream().map(CaseOutcome::commShare).toList()).mean(),
            sps.mean() / (nodes * baselineSamplesPerSec));
    }
}
