package io.tributary.trainer.data;

import java.util.concurrent.locks.LockSupport;

/**
 * Reads ahead on a background thread: the pages of this node's slices of the next {@code depth} global batches of
 * a mapped {@link ShardExampleSet}, so that a replica copying its slice finds them in memory rather than waiting
 * on the disk. It computes the epoch's order itself (a pure function of seed and epoch), so it shares no array
 * with the training loop, and stays at most {@code depth} steps ahead: bounded work, bounded page cache.
 */
public final class SlicePrefetcher implements AutoCloseable
{
    private static final long IDLE_NANOS = 1_000_000;

    private final ShardExampleSet set;
    private final DataSharder sharder;
    private final int nodeRank;
    private final long seed;
    private final int depth;
    private final int[] order;
    private final Thread thread;
    private volatile boolean running = true;
    // The epoch and the first step not to touch yet, packed so that the thread reads both at once.
    private volatile long target = -1;
    private long touched;
    private int sink;

    public SlicePrefetcher(final ShardExampleSet set, final DataSharder sharder, final int nodeRank, final long seed,
        final int depth)
    {
        this.set = set;
        this.sharder = sharder;
        this.nodeRank = nodeRank;
        this.seed = seed;
        this.depth = depth;
        this.order = new int[set.size()];
        this.thread = new Thread(this::run, "tributary-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The loop is about to train step {@code step} of {@code epoch}: read up to {@code depth} steps past it. */
    public void before(final int epoch, final int step)
    {
        final long wanted = ((long)epoch << 32) | Math.min(sharder.stepsPerEpoch(), step + 1 + depth);
        if (wanted != target)
        {
            target = wanted;
            LockSupport.unpark(thread);
        }
    }

    /** Examples whose pages this thread has read, for tests. */
    public long touched()
    {
        return touched;
    }

    private void run()
    {
        int epoch = -1;
        int next = 0;
        while (running)
        {
            final long wanted = target;
            final int wantedEpoch = (int)(wanted >> 32);
            final int limit = (int)wanted;
            if (wanted >= 0 && wantedEpoch != epoch)
            {
                epoch = wantedEpoch;
                set.fillOrder(order, seed, epoch);
                next = 0;
            }
            // Steps the loop has reached are read by now, whether or not this thread got to them.
            next = Math.max(next, limit - 1 - depth);
            if (wanted >= 0 && next < limit)
            {
                touchSlice(next++);
            }
            else
            {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
    }

    private void touchSlice(final int step)
    {
        // The shares may change meanwhile (measured balancing): a slice read ahead by the old cut is only a guess.
        final int from = Math.max(0, sharder.nodeFrom(step, nodeRank));
        final int to = Math.min(order.length, from + sharder.nodeSize(step, nodeRank));
        int sum = 0;
        for (int p = from; p < to; p++)
        {
            sum += set.touch(order[p]);
        }
        sink += sum;
        touched += to - from;
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
