package io.tributary.trainer.replica.sync;

import io.tributary.kernels.GradientKernels;
import io.tributary.trainer.codec.DirectFloats;

import java.nio.ByteBuffer;

/**
 * The node sum of one shard of the gradient, left to right over the non-empty replicas' shards, into replica 0's
 * shard: zero when every slice was empty, nothing to do when replica 0's shard is the only input.
 */
final class ShardSum
{
    private ShardSum()
    {
    }

    /** @param target replica 0's shard; {@code inputs[0]} is it whenever replica 0's slice was non-empty */
    static void sum(final GradientKernels kernels, final ByteBuffer[] inputs, final int count, final ByteBuffer target,
        final int length)
    {
        if (length == 0)
        {
            return;
        }
        if (count == 0)
        {
            DirectFloats.zero(target, length);
        }
        else if (count > 1 || inputs[0] != target)
        {
            kernels.sum(inputs, count, target, length);
        }
    }
}
