package io.tributary.trainer.codec;

import io.tributary.kernels.GradientKernels;
import io.tributary.transport.WireCodec;

/**
 * A codec that sends some values whole and keeps the rest: messages are gathered and decoded by every node,
 * since a sum of sparse vectors is not sparse.
 */
abstract class SparseCodec extends CodecBase
{
    SparseCodec(final int n, final GradientKernels kernels)
    {
        super(n, kernels);
    }

    @Override
    public final boolean summable()
    {
        return false;
    }

    @Override
    public final WireCodec wire()
    {
        return null;
    }
}
