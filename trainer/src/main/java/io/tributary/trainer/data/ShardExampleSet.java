package io.tributary.trainer.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * One split of a shard directory, memory-mapped: examples are read from the page cache where a replica copies
 * its slice, so the heap holds none of them and a set may be larger than memory (mapped pages are the kernel's
 * to drop). Opening checks every shard against the index (present, the size its records give, the CRC-32C) and
 * names the first bad one.
 *
 * <p>An epoch's order ({@link #fillOrder}): the shards in a random order, then, window by window of
 * {@code windowShards} consecutive shards of that order, a uniform random permutation of the window's examples.
 * Both are pure functions of (seed, epoch). So "shuffled" means: which shards come first changes every epoch,
 * and examples mix freely within a window (a shuffle buffer of {@code windowShards} shards) but not across
 * windows; the global batches of a window read only its shards.
 */
public final class ShardExampleSet extends ExampleSet
{
    private static final int PAGE_BYTES = 4096;

    private final int recordBytes;
    private final int recordsPerShard;
    private final int size;
    private final int windowShards;
    private final ByteBuffer[] records;
    private final FloatBuffer[] floats;
    private final int[] shardRecords;
    private final String[] names;

    private ShardExampleSet(final ShardIndex index, final Path dir, final List<ShardIndex.Shard> shards,
        final int windowShards)
    {
        super(index.features(), index.classes());
        this.recordBytes = index.recordBytes();
        this.recordsPerShard = shards.get(0).records();
        this.windowShards = windowShards;
        this.records = new ByteBuffer[shards.size()];
        this.floats = new FloatBuffer[shards.size()];
        this.shardRecords = new int[shards.size()];
        this.names = new String[shards.size()];
        long total = 0;
        for (int s = 0; s < shards.size(); s++)
        {
            final ShardIndex.Shard shard = shards.get(s);
            if (s < shards.size() - 1 && shard.records() != recordsPerShard)
            {
                throw new DataException(dir.resolve(shard.file()) + ": " + shard.records() + " records, but every " +
                    "shard before the last must hold " + recordsPerShard + " (the index says so for the first)");
            }
            names[s] = dir.resolve(shard.file()).toString();
            shardRecords[s] = shard.records();
            records[s] = map(dir.resolve(shard.file()), shard, recordBytes);
            floats[s] = records[s].asFloatBuffer();
            total += shard.records();
        }
        if (total > Integer.MAX_VALUE - 8)
        {
            throw new DataException(dir + ": " + total + " examples in one split; at most " + (Integer.MAX_VALUE - 8));
        }
        this.size = (int)total;
    }

    /** Opens split {@code split} ("train" or "test") of the shard directory {@code dir}, checking every shard. */
    public static ShardExampleSet open(final Path dir, final ShardIndex index, final String split,
        final int windowShards)
    {
        return new ShardExampleSet(index, dir, "test".equals(split) ? index.test() : index.train(), windowShards);
    }

    private static ByteBuffer map(final Path file, final ShardIndex.Shard shard, final int recordBytes)
    {
        if (!Files.isRegularFile(file))
        {
            throw new DataException(file + ": shard missing (listed in " + ShardIndex.FILE + ")");
        }
        final long expected = (long)shard.records() * recordBytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            if (channel.size() != expected)
            {
                throw new DataException(file + ": shard " + (channel.size() < expected ? "truncated" : "too long") +
                    ": " + channel.size() + " bytes, expected " + expected + " (" + shard.records() + " records of " +
                    recordBytes + ")");
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, expected);
            final CRC32C crc = new CRC32C();
            crc.update(mapped.duplicate());
            if (crc.getValue() != shard.crc32c())
            {
                throw new DataException(String.format("%s: shard corrupt: CRC-32C %08x, the index says %08x", file,
                    crc.getValue(), shard.crc32c()));
            }
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        }
        catch (final IOException ex)
        {
            throw new DataException(file + ": unreadable shard: " + ex.getMessage());
        }
    }

    @Override
    public int size()
    {
        return size;
    }

    /** Shard files of this split. */
    public int shards()
    {
        return records.length;
    }

    @Override
    public int label(final int example)
    {
        final int shard = example / recordsPerShard;
        final int label = records[shard].getInt((example - shard * recordsPerShard) * recordBytes);
        if (label < 0 || label >= numClasses)
        {
            throw new DataException(names[shard] + ": record " + (example - shard * recordsPerShard) + " has label " +
                label + ", outside [0, " + numClasses + ")");
        }
        return label;
    }

    @Override
    public float feature(final int example, final int column)
    {
        final int shard = example / recordsPerShard;
        return floats[shard].get((example - shard * recordsPerShard) * (numFeatures + 1) + 1 + column);
    }

    @Override
    public void copyRows(final int[] order, final int from, final int count, final FloatBuffer featuresOut,
        final FloatBuffer labelsOut)
    {
        for (int r = 0; r < count; r++)
        {
            final int example = order[from + r];
            final int shard = example / recordsPerShard;
            final int record = example - shard * recordsPerShard;
            featuresOut.put(r * numFeatures, floats[shard], record * (numFeatures + 1) + 1, numFeatures);
            oneHot(labelsOut, r, numClasses, label(example));
        }
    }

    @Override
    public void fillOrder(final int[] order, final long seed, final int epoch)
    {
        final int shards = records.length;
        final int[] shardOrder = new int[shards];
        final SplittableRandom random = shuffleShards(shardOrder, seed, epoch);
        int position = 0;
        for (int first = 0; first < shards; first += windowShards)
        {
            final int windowStart = position;
            for (int s = first; s < Math.min(shards, first + windowShards); s++)
            {
                final int base = shardOrder[s] * recordsPerShard;
                for (int r = 0; r < shardRecords[shardOrder[s]]; r++)
                {
                    order[position++] = base + r;
                }
            }
            shuffle(order, windowStart, position, random);
        }
    }

    /** Fills {@code shardOrder} with the order epoch {@code epoch} takes the shards in (as {@link #fillOrder}). */
    public void fillShardOrder(final int[] shardOrder, final long seed, final int epoch)
    {
        shuffleShards(shardOrder, seed, epoch);
    }

    private static SplittableRandom shuffleShards(final int[] shardOrder, final long seed, final int epoch)
    {
        for (int s = 0; s < shardOrder.length; s++)
        {
            shardOrder[s] = s;
        }
        final SplittableRandom random = new SplittableRandom((seed * 0x9E3779B97F4A7C15L + epoch) ^ 0x5348415244L);
        shuffle(shardOrder, 0, shardOrder.length, random);
        return random;
    }

    /** Shards per shuffle window. */
    public int windowShards()
    {
        return windowShards;
    }

    /** The window (0-based) that epoch position {@code position} falls in, for the shard order {@code shardOrder}. */
    public int windowOf(final int[] shardOrder, final int position)
    {
        int end = 0;
        for (int first = 0; first < shardOrder.length; first += windowShards)
        {
            for (int s = first; s < Math.min(shardOrder.length, first + windowShards); s++)
            {
                end += shardRecords[shardOrder[s]];
            }
            if (position < end)
            {
                return first / windowShards;
            }
        }
        return (shardOrder.length - 1) / windowShards;
    }

    /** Reads one byte of every page of shard {@code shard}, front to back: the kernel reads it sequentially. */
    public int readThrough(final int shard)
    {
        final ByteBuffer mapped = records[shard];
        int sum = 0;
        for (int i = 0; i < mapped.capacity(); i += PAGE_BYTES)
        {
            sum += mapped.get(i);
        }
        return sum;
    }

    private static void shuffle(final int[] values, final int from, final int to, final SplittableRandom random)
    {
        for (int i = to - 1; i > from; i--)
        {
            final int j = from + random.nextInt(i - from + 1);
            final int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
