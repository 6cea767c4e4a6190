package io.tributary.trainer.data;

import java.util.concurrent.locks.LockSupport;

/**
 * Reads ahead on a background thread, so that a replica copying its slice of a mapped {@link ShardExampleSet}
 * finds the pages in memory instead of waiting on the disk. An epoch reads its shards window by window
 * ({@link ShardExampleSet#fillOrder}), each window's records in random order; so this thread reads whole shards,
 * front to back, which the kernel turns into large sequential reads: the shards of the window the loop is in and of
 * the next one, no more. It computes the epoch's shard order itself (a pure function of seed and epoch), so it
 * shares no state with the training loop but the step it is told.
 */
public final class SlicePrefetcher implements AutoCloseable
{
    private static final long IDLE_NANOS = 1_000_000;

    private final ShardExampleSet set;
    private final long seed;
    private final int batchSize;
    private final int[] shardOrder;
    private final Thread thread;
    private volatile boolean running = true;
    // The epoch and the step the loop is at, packed so that the thread reads both at once.
    private volatile long target = -1;
    private volatile long shardsRead;
    private int sink;

    public SlicePrefetcher(final ShardExampleSet set, final long seed, final int batchSize)
    {
        this.set = set;
        this.seed = seed;
        this.batchSize = batchSize;
        this.shardOrder = new int[set.shards()];
        this.thread = new Thread(this::run, "tributary-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The loop is about to train step {@code step} of {@code epoch}. */
    public void before(final int epoch, final int step)
    {
        final long wanted = ((long)epoch << 32) | step;
        if (wanted != target)
        {
            target = wanted;
            LockSupport.unpark(thread);
        }
    }

    /** Shards this thread has read through, for tests. */
    public long shardsRead()
    {
        return shardsRead;
    }

    private void run()
    {
        int epoch = -1;
        int readUpTo = 0; // windows of this epoch read: [0, readUpTo) of the shard order, in shards
        while (running)
        {
            final long wanted = target;
            if (wanted < 0)
            {
                LockSupport.parkNanos(this, IDLE_NANOS);
                continue;
            }
            if ((int)(wanted >> 32) != epoch)
            {
                epoch = (int)(wanted >> 32);
                set.fillShardOrder(shardOrder, seed, epoch);
                readUpTo = 0;
            }
            final int position = Math.min(set.size() - 1, (int)wanted * batchSize);
            final int window = set.windowOf(shardOrder, position);
            final int wantedShards = Math.min(shardOrder.length, (window + 2) * set.windowShards());
            readUpTo = Math.max(readUpTo, window * set.windowShards());
            if (readUpTo < wantedShards)
            {
                sink += set.readThrough(shardOrder[readUpTo++]);
                shardsRead++;
            }
            else
            {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
