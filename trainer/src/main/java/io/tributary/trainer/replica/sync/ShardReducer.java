package io.tributary.trainer.replica.sync;

import java.nio.ByteBuffer;

/** Sums a shard over every node, in place: one ring of the {@link ShardedScheme}, such as a Collective's allReduce. */
@FunctionalInterface
public interface ShardReducer
{
    /** Nothing to add: one node. */
    ShardReducer NONE = (shard, count) -> { };

    /** @param shard native-order floats from byte 0, direct */
    void allReduce(ByteBuffer shard, int count);
}
