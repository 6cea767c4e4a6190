package io.tributary.trainer;

/**
 * What a node is doing besides a step, so that a failure names it rather than a step that is not running:
 * after an epoch's last step the position already names the next epoch's first.
 */
public enum TrainingPhase
{
    /** A step, or between two steps of an epoch. */
    TRAINING(null),
    /** Evaluating on the test set after an epoch. */
    EVALUATING("evaluating"),
    /** Handing a checkpoint (mid-epoch or at an epoch end) to the listener, and checking the peers after it. */
    CHECKPOINTING("writing the checkpoint"),
    /** Training returned: the model, the reports and the timeline are gathered and written. */
    FINISHING("finishing");

    private final String description;

    TrainingPhase(final String description)
    {
        this.description = description;
    }

    /** What the node is doing, in a few words; null for {@link #TRAINING}, which a step names instead. */
    public String description()
    {
        return description;
    }
}
