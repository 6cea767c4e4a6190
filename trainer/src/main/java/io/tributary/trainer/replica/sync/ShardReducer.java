package io.tributary.trainer.replica.sync;

import java.nio.ByteBuffer;

/**
 * Sums a vector over every node, in place: one ring of a scheme (the leader's node sum, or one shard of it under
 * {@link ShardedScheme}), exact or through a codec.
 */
@FunctionalInterface
public interface ShardReducer
{
    /** Nothing to add: one node. */
    ShardReducer NONE = (shard, count, globalStep) -> { };

    /**
     * @param shard      native-order floats from byte 0, direct
     * @param globalStep the job's step (a resumed run's earlier steps included): a codec's random numbers and
     *                   keys derive from it, so a resumed run reproduces them
     */
    void allReduce(ByteBuffer shard, int count, long globalStep);
}
