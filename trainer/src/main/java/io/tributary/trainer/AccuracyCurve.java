package io.tributary.trainer;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's test accuracies: one per completed epoch (NaN where the epoch was not evaluated) and the curve of every
 * evaluation, those every {@code run.eval_every_steps} global steps and those at epoch ends, in step order. A resumed
 * run continues both from its checkpoint's position.
 */
final class AccuracyCurve
{
    private final int everySteps;
    private final int stepsPerEpoch;
    private final List<Double> epochs = new ArrayList<>();
    private final List<AccuracyPoint> points = new ArrayList<>();

    /**
     * @param everySteps {@code run.eval_every_steps}: 0 evaluates at epoch ends only
     */
    AccuracyCurve(final int everySteps, final int stepsPerEpoch)
    {
        this.everySteps = everySteps;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /** Whether the cadence asks for an evaluation after global step {@code globalStep}. */
    boolean dueAt(final long globalStep)
    {
        return everySteps > 0 && globalStep > 0 && globalStep % everySteps == 0;
    }

    /** Records an evaluation on the curve. */
    void add(final long globalStep, final long trainNanos, final double accuracy)
    {
        points.add(new AccuracyPoint(globalStep, (double)globalStep / stepsPerEpoch, trainNanos / 1e9, accuracy));
    }

    /** Records a completed epoch's accuracy (NaN when not evaluated; an evaluated one goes on the curve too). */
    void addEpoch(final long globalStep, final long trainNanos, final double accuracy)
    {
        epochs.add(accuracy);
        if (!Double.isNaN(accuracy))
        {
            add(globalStep, trainNanos, accuracy);
        }
    }

    /** Continues from a checkpoint's position. */
    void restore(final TrainingPosition position)
    {
        epochs.clear();
        epochs.addAll(position.epochAccuracy());
        points.clear();
        points.addAll(position.accuracyCurve());
    }

    List<Double> epochs()
    {
        return epochs;
    }

    List<AccuracyPoint> points()
    {
        return points;
    }

    /** The last epoch's accuracy, NaN before the first. */
    double last()
    {
        return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1);
    }
}
