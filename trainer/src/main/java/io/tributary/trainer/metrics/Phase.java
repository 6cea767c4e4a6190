package io.tributary.trainer.metrics;

/**
 * The parts of one synchronous step, in the order they run: copying rows into the input arrays, forward and
 * backward, the node reduce (sum of the replicas' gradients, and the copy of the global sum back into every
 * replica), the cross-node allreduce, and the updater.
 */
public enum Phase
{
    DATA("data"), COMPUTE("compute"), INTRA("intra"), INTER("inter"), UPDATE("update");

    static final Phase[] VALUES = values();

    private final String label;

    Phase(final String label)
    {
        this.label = label;
    }

    /** The lower-case name used in metrics.json and timeline.json. */
    public String label()
    {
        return label;
    }
}
