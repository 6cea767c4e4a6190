package io.tributary.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Converts a data source into a shard directory ({@link ShardIndex}): shard files of at most {@code shardMb} MiB
 * per split and the index, written last (atomically), so a directory with an index is complete. A synthetic set
 * is generated straight into the shards, one example at a time, so it may be any size; IDX and CSV sources are
 * read into memory first, as training on them would.
 */
public final class ShardPreparer
{
    private static final int CHUNK_RECORDS = 256;

    private final Path out;
    private final int recordsPerShard;
    private final int features;
    private final int classes;

    public ShardPreparer(final Path out, final int shardMb, final int features, final int classes)
    {
        this.out = out;
        this.features = features;
        this.classes = classes;
        final long recordBytes = Integer.BYTES + (long)features * Float.BYTES;
        this.recordsPerShard = (int)Math.max(1, Math.min(Integer.MAX_VALUE / recordBytes,
            (long)shardMb * 1024 * 1024 / recordBytes));
    }

    public int recordsPerShard()
    {
        return recordsPerShard;
    }

    /** Streams {@code trainSize} then {@code testSize} examples of a synthetic set into shards. */
    public ShardIndex synthetic(final long trainSize, final long testSize, final long seed, final double spread)
        throws IOException
    {
        final SyntheticSource.Examples examples = new SyntheticSource.Examples(features, classes, seed, spread);
        final float[] row = new float[features];
        Files.createDirectories(out);
        final List<ShardIndex.Shard> train;
        try (ShardWriter writer = writer("train"))
        {
            for (long i = 0; i < trainSize; i++)
            {
                writer.add(row, 0, examples.next(row, 0));
            }
            train = writer.finish();
        }
        final List<ShardIndex.Shard> test;
        try (ShardWriter writer = writer("test"))
        {
            for (long i = 0; i < testSize; i++)
            {
                writer.add(row, 0, examples.next(row, 0));
            }
            test = writer.finish();
        }
        return finish(train, test);
    }

    /** Writes both splits of examples already in memory. */
    public ShardIndex copy(final TrainTest data) throws IOException
    {
        Files.createDirectories(out);
        return finish(write("train", data.train()), write("test", data.test()));
    }

    private List<ShardIndex.Shard> write(final String split, final ExampleSet set) throws IOException
    {
        final float[] row = new float[features];
        try (ShardWriter writer = writer(split))
        {
            for (int i = 0; i < set.size(); i++)
            {
                for (int f = 0; f < features; f++)
                {
                    row[f] = set.feature(i, f);
                }
                writer.add(row, 0, set.label(i));
            }
            return writer.finish();
        }
    }

    private ShardWriter writer(final String split)
    {
        return new ShardWriter(out, split, features, classes, recordsPerShard,
            Math.min(CHUNK_RECORDS, recordsPerShard));
    }

    private ShardIndex finish(final List<ShardIndex.Shard> train, final List<ShardIndex.Shard> test)
        throws IOException
    {
        final ShardIndex index = new ShardIndex(features, classes, train, test);
        index.write(out);
        return index;
    }
}
