package io.tributary.trainer.replica.sync;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sums the replicas' flat gradients into one array, {@code target = g0 + g1 + ...} left to right, with a
 * {@link io.tributary.kernels.GradientKernels} sum on host memory or its device twin on CUDA memory. Float
 * addition in that order is what ND4J's {@code assign} then {@code addi} computed, so results are unchanged.
 * Not thread-safe: the step's coordinating thread owns it.
 */
public interface NodeGradientSum extends AutoCloseable
{
    /**
     * @param gradients flat float gradients of equal length; {@code gradients[0 .. count)} are summed
     * @param count     0 sets {@code target} to zero
     * @param target    {@code gradients[0]} (summed in place) or an array none of them shares memory with
     */
    void sum(INDArray[] gradients, int count, INDArray target);

    @Override
    default void close()
    {
    }
}
