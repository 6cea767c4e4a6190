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
 */
public record TrainingPosition(int epoch, int step, long globalStep, long samples, long trainNanos, double loss,
    List<Double> epochAccuracy)
{
    public static final TrainingPosition START = new TrainingPosition(0, 0, 0, 0, 0, Double.NaN, List.of());

    public TrainingPosition
    {
        epochAccuracy = List.copyOf(epochAccuracy);
    }
}
