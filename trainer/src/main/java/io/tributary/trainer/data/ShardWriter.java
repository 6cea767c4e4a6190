package io.tributary.trainer.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one split's examples as shard files of at most {@code recordsPerShard} records, streaming: one record
 * buffer of memory, whatever the split's size. {@link #finish()} gives the shards for the {@link ShardIndex}.
 */
public final class ShardWriter implements AutoCloseable
{
    private final Path dir;
    private final String prefix;
    private final int features;
    private final int classes;
    private final int recordsPerShard;
    private final ByteBuffer chunk;
    private final CRC32C crc = new CRC32C();
    private final List<ShardIndex.Shard> shards = new ArrayList<>();
    private FileChannel channel;
    private String file;
    private int records;

    /** @param chunkRecords records buffered between writes */
    public ShardWriter(final Path dir, final String prefix, final int features, final int classes,
        final int recordsPerShard, final int chunkRecords)
    {
        this.dir = dir;
        this.prefix = prefix;
        this.features = features;
        this.classes = classes;
        this.recordsPerShard = recordsPerShard;
        this.chunk = ByteBuffer.allocateDirect(chunkRecords * (Integer.BYTES + features * Float.BYTES))
            .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Appends one example: {@code row[from .. from+features)} and its label. */
    public void add(final float[] row, final int from, final int label) throws IOException
    {
        if (label < 0 || label >= classes)
        {
            throw new DataException(prefix + " example " + total() + ": label " + label + " outside [0, " + classes + ")");
        }
        if (channel == null)
        {
            file = String.format("%s-%05d.bin", prefix, shards.size());
            channel = FileChannel.open(dir.resolve(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
            crc.reset();
            records = 0;
        }
        chunk.putInt(label);
        for (int f = 0; f < features; f++)
        {
            chunk.putFloat(row[from + f]);
        }
        records++;
        if (!chunk.hasRemaining())
        {
            flush();
        }
        if (records == recordsPerShard)
        {
            closeShard();
        }
    }

    private long total()
    {
        long total = records;
        for (final ShardIndex.Shard shard : shards)
        {
            total += shard.records();
        }
        return total;
    }

    private void flush() throws IOException
    {
        chunk.flip();
        crc.update(chunk.duplicate());
        while (chunk.hasRemaining())
        {
            channel.write(chunk);
        }
        chunk.clear();
    }

    private void closeShard() throws IOException
    {
        flush();
        channel.force(true);
        channel.close();
        channel = null;
        shards.add(new ShardIndex.Shard(file, records, crc.getValue()));
    }

    /** Closes the last shard and returns every shard written, in order. */
    public List<ShardIndex.Shard> finish() throws IOException
    {
        if (channel != null)
        {
            closeShard();
        }
        return List.copyOf(shards);
    }

    @Override
    public void close() throws IOException
    {
        if (channel != null)
        {
            channel.close();
        }
    }
}
