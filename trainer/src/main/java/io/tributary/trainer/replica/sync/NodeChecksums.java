package io.tributary.trainer.replica.sync;

/** Compares the parameter checksums of every node of the job. */
@FunctionalInterface
public interface NodeChecksums
{
    /** Nothing to compare: one node. */
    NodeChecksums NONE = (step, checksum) -> { };

    /**
     * Checks that every node holds the same parameters at {@code step}; every node calls it at the same step.
     *
     * @throws io.tributary.trainer.replica.ReplicaDivergenceException naming the nodes that differ
     */
    void verifyChecksum(long step, long checksum);
}
