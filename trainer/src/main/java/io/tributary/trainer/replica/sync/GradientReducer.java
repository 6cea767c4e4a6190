package io.tributary.trainer.replica.sync;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The seam between a node and the rest of the job. The node hands its intra-node gradient sum here before the
 * updater runs; the reducer turns it, in place, into the sum over every node and says how many examples that
 * sum covers, so the updater divides by the global example count. A single node needs nothing
 * ({@link LocalGradientReducer}); the multi-node allreduce over Aeron implements the same interface.
 */
public interface GradientReducer extends AutoCloseable
{
    /**
     * @param gradientSum   this node's summed gradient, [1, numParams]; holds the global sum on return
     * @param localExamples examples this node's sum covers
     * @param step          the global step number, the same on every node
     * @return the number of examples the global sum covers
     */
    int allReduce(INDArray gradientSum, int localExamples, long step);

    /** Checks that every node holds the same parameters at {@code step}; throws when one differs. */
    void verifyChecksum(long step, long checksum);

    @Override
    default void close()
    {
    }
}
