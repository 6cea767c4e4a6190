package io.tributary.trainer.replica.kernels;

import io.tributary.trainer.replica.sync.NodeGradientSum;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every kernels-backed node sum decides before it touches memory: no gradients gives zeros, the target
 * alone is already the sum, and the target may only be the first input (the kernels add left to right into it).
 */
abstract class KernelsNodeSum implements NodeGradientSum
{
    @Override
    public final void sum(final INDArray[] gradients, final int count, final INDArray target)
    {
        if (count == 0)
        {
            target.assign(0);
            return;
        }
        if (count == 1 && gradients[0] == target)
        {
            return;
        }
        for (int i = 1; i < count; i++)
        {
            if (gradients[i] == target)
            {
                throw new IllegalArgumentException("the target is gradient " + i + "; it may only be gradient 0");
            }
        }
        sumInto(gradients, count, target);
    }

    /** Sums {@code count >= 1} gradients into {@code target}, which is either none of them or the first. */
    abstract void sumInto(INDArray[] gradients, int count, INDArray target);
}
