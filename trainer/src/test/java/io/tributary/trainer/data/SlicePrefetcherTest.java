package io.tributary.trainer.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The read-ahead covers this node's slices of the next steps and stops there: bounded by its depth. */
class SlicePrefetcherTest
{
    @TempDir
    Path dir;

    @Test
    void readsThisNodesSlicesOfTheNextStepsAndNoFurther() throws Exception
    {
        new ShardPreparer(dir, 1, 6, 3).synthetic(10_000, 10, 1);
        final ShardExampleSet set = (ShardExampleSet)new ShardSource(dir, 2).load().train();
        final DataSharder sharder = new DataSharder(set.size(), 100, 2, 1);
        sharder.use(new double[]{ 3, 1 });
        try (SlicePrefetcher prefetcher = new SlicePrefetcher(set, sharder, 1, 42, 4))
        {
            prefetcher.before(0, 0);
            awaitTouched(prefetcher, 5 * 25);
            Thread.sleep(50);
            assertEquals(5 * 25, prefetcher.touched(), "steps 0..4 of node 1 (25 of every 100), then it waits");
            prefetcher.before(0, 10);
            awaitTouched(prefetcher, 10 * 25);
            Thread.sleep(50);
            assertEquals(10 * 25, prefetcher.touched(), "steps 10..14: the loop is past 5..9 already");
            prefetcher.before(1, 0);
            awaitTouched(prefetcher, 15 * 25);
            Thread.sleep(50);
            assertEquals(15 * 25, prefetcher.touched(), "a new epoch starts over at its step 0");
        }
    }

    private static void awaitTouched(final SlicePrefetcher prefetcher, final long count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (prefetcher.touched() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(count, prefetcher.touched());
    }
}
