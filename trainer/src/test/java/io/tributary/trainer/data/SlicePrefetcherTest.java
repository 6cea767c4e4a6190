package io.tributary.trainer.data;

import io.tributary.trainer.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The read-ahead reads the shards of the loop's window and of the next one, and stops there. */
class SlicePrefetcherTest
{
    @TempDir
    Path dir;

    /** 200,000 records of 28 bytes: 37,449 to a 1 MiB shard, 6 shards (the last short), windows of 2 shards. */
    @Test
    void readsTheLoopsWindowAndTheNextAndNoFurther() throws Exception
    {
        new ShardPreparer(dir, 1, 6, 3).synthetic(200_000, 10, 1, DataConfig.DEFAULT_SPREAD);
        final ShardExampleSet set = (ShardExampleSet)new ShardSource(dir, 2).load().train();
        assertEquals(6, set.shards());
        final int[] shardOrder = new int[6];
        set.fillShardOrder(shardOrder, 42, 0);
        final int batch = 1000;
        try (SlicePrefetcher prefetcher = new SlicePrefetcher(set, 42, batch))
        {
            prefetcher.before(0, 0);
            awaitRead(prefetcher, 4, "windows 0 and 1");
            // A step inside window 1 wants window 2 as well: every shard.
            int step = 0;
            while (set.windowOf(shardOrder, step * batch) < 1)
            {
                step++;
            }
            prefetcher.before(0, step);
            awaitRead(prefetcher, 6, "window 2 too");
            prefetcher.before(1, 0);
            awaitRead(prefetcher, 10, "a new epoch reads its first two windows again");
        }
    }

    private static void awaitRead(final SlicePrefetcher prefetcher, final long shards, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (prefetcher.shardsRead() < shards && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        Thread.sleep(50);
        assertEquals(shards, prefetcher.shardsRead(), what);
    }
}
