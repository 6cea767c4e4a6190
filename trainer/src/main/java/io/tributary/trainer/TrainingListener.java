package io.tributary.trainer;

import io.tributary.trainer.checkpoint.NodeStates;
import io.tributary.trainer.model.TrainableModel;

/** Callbacks from the training loop, all on the thread that called {@link Trainer#train}. */
public interface TrainingListener
{
    TrainingListener NONE = new TrainingListener()
    {
    };

    /**
     * After each step.
     *
     * @param trainNanos time spent in training steps so far (evaluation excluded)
     */
    default void onStep(final int epoch, final int step, final int stepsPerEpoch, final long samples,
        final long trainNanos, final double loss)
    {
    }

    /** After each epoch; {@code accuracy} is NaN when the epoch was not evaluated. */
    default void onEpochEnd(final int epoch, final double accuracy, final TrainableModel model)
    {
    }

    /**
     * Every {@code run.checkpoint_steps} steps and after each {@link #onEpochEnd}: a consistent point to
     * save {@code model} (replica 0; every replica is identical) with {@code position} and every node's own
     * state ({@code states}: codec residuals; {@link NodeStates#NONE} when there is none), from which a resumed
     * run continues bit-identically.
     */
    default void onCheckpoint(final TrainingPosition position, final TrainableModel model, final NodeStates states)
    {
    }
}
