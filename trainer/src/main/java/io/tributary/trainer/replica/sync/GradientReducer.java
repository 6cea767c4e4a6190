package io.tributary.trainer.replica.sync;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The seam between a node and the rest of the job for the {@link LeaderScheme}. The node hands its intra-node
 * gradient sum here before the updater runs; the reducer turns it, in place, into the sum over every node.
 * The number of examples that sum covers is not communicated: every node knows the step's global batch
 * size. A single node needs nothing ({@link LocalGradientReducer}); the allreduce over Aeron implements the
 * same interface.
 */
public interface GradientReducer extends NodeChecksums, AutoCloseable
{
    /**
     * @param gradientSum this node's summed gradient, [1, numParams]; holds the global sum on return
     * @param globalStep  the job's step, a resumed run's earlier steps included (a codec keys its random numbers
     *                    on it)
     */
    void allReduce(INDArray gradientSum, long globalStep);

    @Override
    default void close()
    {
    }
}
