package io.tributary.trainer.data;

import java.nio.file.Path;

/** The train and test splits of a shard directory written by {@code tributary prepare}, memory-mapped. */
public final class ShardSource implements DataSource
{
    private final Path dir;
    private final int windowShards;

    public ShardSource(final Path dir, final int windowShards)
    {
        this.dir = dir;
        this.windowShards = windowShards;
    }

    @Override
    public TrainTest load()
    {
        final ShardIndex index = ShardIndex.read(dir);
        return new TrainTest(ShardExampleSet.open(dir, index, "train", windowShards),
            ShardExampleSet.open(dir, index, "test", windowShards));
    }
}
