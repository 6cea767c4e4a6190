package io.tributary.trainer.replica.sync;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One node: its sum is already the global sum, and there is no other node to compare checksums with. */
public final class LocalGradientReducer implements GradientReducer
{
    @Override
    public void allReduce(final INDArray gradientSum, final long step)
    {
    }

    @Override
    public void verifyChecksum(final long step, final long checksum)
    {
    }
}
