package io.tributary.trainer.replica.sync;

/**
 * How a node's replica gradients become the global gradient sum in every replica's gradient view, between the
 * compute and the update phases of a {@link SyncStep}: one class per scheme, like DDP's communication hooks.
 * {@link LeaderScheme}: node sum, one allreduce among node leaders, copy. {@link ShardedScheme}: each replica
 * sums and allreduces its own shard on its own ring, then the replicas copy.
 */
public interface SyncScheme extends AutoCloseable
{
    /**
     * Runs on the step's coordinating thread (replica 0's) once every replica has computed its slice; on return
     * every replica's gradient view holds the sum over all examples of the global batch.
     *
     * @param step       this process's step index (the timeline's step), the same on every node of a run that
     *                   was not resumed
     * @param globalStep the job's step, a resumed run's earlier steps included (codecs key their random numbers
     *                   on it)
     */
    void reduce(long step, long globalStep);

    /**
     * On the coordinating thread, first in step {@code globalStep} of a batch of {@code globalExamples}: the
     * example count of the gradient that {@link #reduce} will leave, which the updater divides by; 0 when it
     * leaves none to apply. The global sum of this very batch by default; a delayed scheme's is an earlier one's.
     */
    default int examplesToApply(final long globalStep, final int globalExamples)
    {
        return globalExamples;
    }

    /** On the coordinating thread, before the replicas compute step {@code step}. */
    default void beforeCompute(final long step, final long globalStep)
    {
    }

    /**
     * On replica {@code replica}'s thread, right after its backward pass: where a replica-level codec
     * ({@code strategy.intra_codec}) compresses what the replica sends to the node sum.
     */
    default void afterBackward(final int replica, final long globalStep)
    {
    }

    /** Checks that every node holds the parameters with this checksum at {@code step}. */
    void verifyChecksum(long step, long checksum);

    @Override
    default void close()
    {
    }
}
