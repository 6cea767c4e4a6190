package io.tributary.trainer.replica.sync;

import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.metrics.Timeline;
import io.tributary.trainer.replica.BackgroundThreads;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The background thread of the {@link StaleScheme}: it reduces submitted steps' node sums across nodes, one after
 * another in submission order, each in its slot and shard by shard on the scheme's rings, while the replicas
 * compute the next steps. Between submissions it parks.
 */
final class StaleLane implements AutoCloseable
{
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long WAIT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);

    private final ShardReducer[] rings;
    /** slotShards[slot][d]: shard d of slot {@code slot}, reduced on ring d. */
    private final ByteBuffer[][] slotShards;
    private final int[] shardLength;
    private final long[] queuedSteps;
    private final long[] queuedProcessSteps;
    private final StepPhases phases;
    private final long timeoutNs;
    private final Thread thread;
    private volatile long requested;
    private volatile long completed;
    private volatile boolean closed;
    private volatile Thread waiter;
    private volatile RuntimeException failure;

    /** @param phases where each reduce goes as a timeline event (comm lane 0), keyed by its process step */
    StaleLane(final ShardReducer[] rings, final ByteBuffer[][] slotShards, final int[] shardLength,
        final StepPhases phases, final long timeoutNs)
    {
        this.phases = phases;
        this.queuedProcessSteps = new long[slotShards.length];
        this.rings = rings;
        this.slotShards = slotShards;
        this.shardLength = shardLength;
        this.queuedSteps = new long[slotShards.length];
        this.timeoutNs = timeoutNs;
        this.thread = BackgroundThreads.start(this::loop, "tributary-ssp-reduce");
    }

    /**
     * Queues the reduce of global step {@code globalStep}'s slot; its node sum must be in the slot already.
     * {@code step}: this process's step count, which names it in the timeline.
     */
    void submit(final long globalStep, final long step)
    {
        queuedSteps[(int)(requested % queuedSteps.length)] = globalStep;
        queuedProcessSteps[(int)(requested % queuedSteps.length)] = step;
        requested = requested + 1; // the one writer: the coordinating thread
        LockSupport.unpark(thread);
    }

    /**
     * Waits until at most {@code outstanding} submitted reduces are unfinished; rethrows what failed one (a lost
     * peer as itself).
     */
    void awaitOutstanding(final int outstanding)
    {
        waiter = Thread.currentThread();
        final long deadline = System.nanoTime() + timeoutNs;
        while (requested - completed > outstanding)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the ssp reduce thread did not finish within " +
                    TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
            }
            LockSupport.parkNanos(this, WAIT_PARK_NS);
        }
        final RuntimeException failed = failure;
        if (failed != null)
        {
            throw failed;
        }
    }

    private void loop()
    {
        while (!closed)
        {
            final long next = completed;
            if (next == requested)
            {
                LockSupport.parkNanos(this, IDLE_PARK_NS);
                continue;
            }
            final long globalStep = queuedSteps[(int)(next % queuedSteps.length)];
            if (failure == null)
            {
                final long start = System.nanoTime();
                try
                {
                    final ByteBuffer[] shards = slotShards[(int)(globalStep % slotShards.length)];
                    for (int d = 0; d < rings.length; d++)
                    {
                        if (shardLength[d] > 0)
                        {
                            rings[d].allReduce(shards[d], shardLength[d], globalStep);
                        }
                    }
                    phases.bucketEvent(queuedProcessSteps[(int)(next % queuedSteps.length)], 0, 0,
                        Timeline.BUCKET_REDUCE, start, System.nanoTime());
                }
                catch (final RuntimeException ex)
                {
                    failure = ex;
                }
            }
            completed = next + 1;
            final Thread coordinator = waiter;
            if (coordinator != null)
            {
                LockSupport.unpark(coordinator);
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
        BackgroundThreads.stop(thread);
    }
}
