package io.tributary.trainer;

import java.util.List;

/**
 * Where training stands between two steps: everything beyond the model (parameters, updater state and the
 * DL4J iteration and epoch counts) that a resumed run needs to continue as if it had never stopped. The
 * data order needs no state of its own: an epoch's order is a pure function of (seed, epoch).
 *
 * @param epoch         the epoch of the next step, 0-based
 * @param step          the next step within that epoch, 0-based
 * @param globalStep    steps completed since the start of the run
 * @param samples       training examples seen since the start of the run (all nodes)
 * @param trainNanos    time spent in training steps so far, by this node
 * @param loss          the last step's loss (NaN before the first)
 * @param epochAccuracy test accuracy of each completed epoch (NaN where not evaluated)
 * @param accuracyCurve every evaluation so far ({@code run.eval_every_steps} and epoch ends), in step order
 * @param shares        the shares the global batches were cut by, one per device, node-major (empty: the
 *                      configured ones), so a resumed run cuts the next batch as this one would have
 */
public record TrainingPosition(int epoch, int step, long globalStep, long samples, long trainNanos, double loss,
    List<Double> epochAccuracy, List<AccuracyPoint> accuracyCurve, List<Double> shares)
{
    public static final TrainingPosition START = new TrainingPosition(0, 0, 0, 0, 0, Double.NaN, List.of());

    public TrainingPosition
    {
        epochAccuracy = List.copyOf(epochAccuracy);
        accuracyCurve = List.copyOf(accuracyCurve);
        shares = List.copyOf(shares);
    }

    /** A position that records no shares. */
    public TrainingPosition(final int epoch, final int step, final long globalStep, final long samples,
        final long trainNanos, final double loss, final List<Double> epochAccuracy,
        final List<AccuracyPoint> accuracyCurve)
    {
        this(epoch, step, globalStep, samples, trainNanos, loss, epochAccuracy, accuracyCurve, List.of());
    }

    /** A position with no accuracy curve. */
    public TrainingPosition(final int epoch, final int step, final long globalStep, final long samples,
        final long trainNanos, final double loss, final List<Double> epochAccuracy)
    {
        this(epoch, step, globalStep, samples, trainNanos, loss, epochAccuracy, List.of());
    }
}
