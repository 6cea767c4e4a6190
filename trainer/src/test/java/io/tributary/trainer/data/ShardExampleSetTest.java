package io.tributary.trainer.data;

import io.tributary.trainer.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shards hold exactly the examples they were written from; an epoch's order is a permutation (every example once,
 * for any world's cut), a pure function of (seed, epoch), shuffled within windows of shards; a missing, truncated
 * or corrupt shard is refused naming it.
 */
class ShardExampleSetTest
{
    private static final int FEATURES = 5;

    @TempDir
    Path dir;

    /** {@code size} + 50 synthetic examples of 24 bytes (a label and 5 floats), 43,690 to a 1 MiB shard. */
    private ShardIndex prepare(final int size) throws IOException
    {
        final ShardPreparer preparer = new ShardPreparer(dir, 1, FEATURES, 3);
        return preparer.synthetic(size, 50, 9, DataConfig.DEFAULT_SPREAD);
    }

    @Test
    void shardsHoldExactlyTheSyntheticSetTheyWereWrittenFrom() throws IOException
    {
        final ShardIndex index = prepare(100_000);
        final TrainTest memory = new SyntheticSource(100_000, 50, FEATURES, 3, 9).load();
        final TrainTest shards = new ShardSource(dir, 2).load();
        assertEquals(3, index.train().size(), "43,690 + 43,690 + 12,620");
        assertEquals(100_000, shards.train().size());
        assertEquals(50, shards.test().size());
        final int[] order = EpochShuffle.order(100_000, 1, 0);
        final FloatBuffer expected = FloatBuffer.allocate(64 * FEATURES);
        final FloatBuffer actual = FloatBuffer.allocate(64 * FEATURES);
        final FloatBuffer expectedLabels = FloatBuffer.allocate(64 * 3);
        final FloatBuffer actualLabels = FloatBuffer.allocate(64 * 3);
        for (int from = 0; from < 100_000; from += 6400)
        {
            memory.train().copyRows(order, from, 64, expected, expectedLabels);
            shards.train().copyRows(order, from, 64, actual, actualLabels);
            assertArrayEquals(expected.array(), actual.array());
            assertArrayEquals(expectedLabels.array(), actualLabels.array());
        }
        for (int i = 0; i < 50; i++)
        {
            assertEquals(memory.test().label(i), shards.test().label(i));
            assertEquals(memory.test().feature(i, 4), shards.test().feature(i, 4));
        }
    }

    @Test
    void anEpochVisitsEveryExampleOnceShuffledWithinWindowsOfShards() throws IOException
    {
        final ShardIndex index = prepare(100_000);
        final int perShard = index.train().get(0).records();
        final ShardExampleSet set = (ShardExampleSet)new ShardSource(dir, 2).load().train();
        final int[] order = new int[set.size()];
        set.fillOrder(order, 42, 3);
        final int[] again = new int[set.size()];
        set.fillOrder(again, 42, 3);
        assertArrayEquals(order, again, "a pure function of (seed, epoch)");
        set.fillOrder(again, 42, 4);
        assertFalse(Arrays.equals(order, again), "another epoch, another order");
        final int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++)
        {
            assertEquals(i, sorted[i], "every example exactly once");
        }
        // With windows of one shard, the first window's positions hold exactly the first shard's examples, shuffled.
        final ShardExampleSet oneShardWindows = (ShardExampleSet)new ShardSource(dir, 1).load().train();
        oneShardWindows.fillOrder(again, 42, 3);
        final int shard = again[0] / perShard;
        final int records = index.train().get(shard).records();
        final int[] window = Arrays.copyOf(again, records);
        assertTrue(Arrays.stream(window).allMatch(e -> e / perShard == shard), "one shard per window");
        Arrays.sort(window);
        assertEquals(shard * perShard, window[0]);
        assertEquals(shard * perShard + records - 1, window[records - 1]);
        assertFalse(again[1] == again[0] + 1 && again[2] == again[1] + 1, "shuffled inside the window");
        // Cut among any world, the epoch still uses every example once (the sharder works on positions).
        final DataSharder sharder = new DataSharder(set.size(), 999, 3, 2);
        sharder.use(new double[]{ 1, 2, 3, 1, 1, 1 });
        final int[] uses = new int[set.size()];
        for (int step = 0; step < sharder.stepsPerEpoch(); step++)
        {
            for (int node = 0; node < 3; node++)
            {
                for (int d = 0; d < 2; d++)
                {
                    for (int p = 0; p < sharder.deviceSize(step, node, d); p++)
                    {
                        uses[order[sharder.deviceFrom(step, node, d) + p]]++;
                    }
                }
            }
        }
        assertTrue(Arrays.stream(uses).allMatch(u -> u == 1));
    }

    @Test
    void aMissingTruncatedOrCorruptShardIsRefusedNamingIt() throws IOException
    {
        final ShardIndex index = prepare(100_000);
        final Path second = dir.resolve(index.train().get(1).file());
        final byte[] bytes = Files.readAllBytes(second);

        Files.write(second, Arrays.copyOf(bytes, bytes.length - 1));
        DataException refused = assertThrows(DataException.class, () -> new ShardSource(dir, 2).load());
        assertEquals(second + ": shard truncated: " + (bytes.length - 1) + " bytes, expected " + bytes.length + " (" +
            index.train().get(1).records() + " records of 24)", refused.getMessage());

        Files.write(second, bytes);
        try (RandomAccessFile file = new RandomAccessFile(second.toFile(), "rw"))
        {
            file.seek(1000);
            file.write(bytes[1000] ^ 0x10);
        }
        refused = assertThrows(DataException.class, () -> new ShardSource(dir, 2).load());
        assertTrue(refused.getMessage().startsWith(second + ": shard corrupt: CRC-32C "), refused.getMessage());

        Files.delete(second);
        refused = assertThrows(DataException.class, () -> new ShardSource(dir, 2).load());
        assertEquals(second + ": shard missing (listed in index.json)", refused.getMessage());
    }

    @Test
    void aLabelOutsideTheClassesIsRefusedWhenRead() throws IOException
    {
        final ShardPreparer preparer = new ShardPreparer(dir, 1, 1, 3);
        final TrainTest data = new TrainTest(new MemoryExampleSet(new float[]{ 1, 2 }, new int[]{ 0, 2 }, 1, 3),
            new MemoryExampleSet(new float[]{ 3 }, new int[]{ 1 }, 1, 3));
        final ShardIndex index = preparer.copy(data);
        // Rewrite the second label as 7 and fix the checksum, as another tool might have written it.
        final Path shard = dir.resolve(index.train().get(0).file());
        final ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(shard)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(8, 7);
        Files.write(shard, buffer.array());
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(buffer.array());
        new ShardIndex(1, 3, java.util.List.of(new ShardIndex.Shard(shard.getFileName().toString(), 2, crc.getValue())),
            index.test()).write(dir);
        final ExampleSet train = new ShardSource(dir, 1).load().train();
        assertEquals(0, train.label(0));
        final DataException refused = assertThrows(DataException.class, () -> train.label(1));
        assertEquals(shard + ": record 1 has label 7, outside [0, 3)", refused.getMessage());
    }
}
