package io.tributary.trainer.replica.sync;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.kernels.GradientKernels;
import io.tributary.trainer.data.BatchSplit;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.metrics.Timeline;
import io.tributary.trainer.replica.BackgroundThreads;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.kernels.HostArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One communication thread of the overlap scheme: for ring {@code lane}, bucket by bucket in backprop order, it
 * waits until every replica has finished the bucket, sums shard {@code lane} of it over the non-empty replicas
 * into replica 0's gradient and reduces that across nodes, while the replicas backprop the layers below. The
 * leader scheme has one lane (the whole bucket); sharded has one per ring. Between steps it parks.
 */
final class CommLane implements AutoCloseable
{
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long WAIT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);

    private final int lane;
    private final DeviceReplica[] replicas;
    private final Buckets buckets;
    private final ShardReducer[] reducers;
    private final AtomicIntegerArray ready;
    private final StepPhases phases;
    private final long timeoutNs;
    private final GradientKernels kernels = new CpuGradientKernels();
    private final int[] shardFrom;
    private final int[] shardLength;
    /** shards[b][r]: this lane's shard of bucket b in replica r's gradient. */
    private final ByteBuffer[][] shards;
    private final ByteBuffer[] inputs;
    private final INDArray[] viewed;
    private final Thread thread;
    private volatile long requested;
    private volatile long completed;
    private volatile boolean closed;
    private volatile Thread waiter;
    private long step;
    private long globalStep;
    private RuntimeException failure;

    /**
     * @param reducers one per bucket, over this lane's shard of it
     * @param ready    per replica, how many buckets it has finished this step
     */
    CommLane(final int lane, final int lanes, final DeviceReplica[] replicas, final Buckets buckets,
        final ShardReducer[] reducers, final AtomicIntegerArray ready, final StepPhases phases, final long timeoutNs)
    {
        this.lane = lane;
        this.replicas = replicas;
        this.buckets = buckets;
        this.reducers = reducers;
        this.ready = ready;
        this.phases = phases;
        this.timeoutNs = timeoutNs;
        this.shardFrom = new int[buckets.count()];
        this.shardLength = new int[buckets.count()];
        for (int b = 0; b < buckets.count(); b++)
        {
            shardFrom[b] = buckets.from(b) + BatchSplit.sliceStart(buckets.length(b), lanes, lane);
            shardLength[b] = BatchSplit.sliceSize(buckets.length(b), lanes, lane);
        }
        this.shards = new ByteBuffer[buckets.count()][replicas.length];
        this.inputs = new ByteBuffer[replicas.length];
        this.viewed = new INDArray[replicas.length];
        this.thread = BackgroundThreads.start(this::loop, "tributary-comm-" + lane);
    }

    /** On the coordinating thread, before the replicas start step {@code step}. */
    void start(final long step, final long globalStep)
    {
        refreshViews();
        this.step = step;
        this.globalStep = globalStep;
        failure = null;
        requested++;
        LockSupport.unpark(thread);
    }

    /** Called by replicas when they finish a bucket. */
    void wake()
    {
        LockSupport.unpark(thread);
    }

    /**
     * Waits until this lane has reduced every bucket of the step; rethrows what failed it (a lost peer as itself).
     */
    void await()
    {
        waiter = Thread.currentThread();
        final long deadline = System.nanoTime() + timeoutNs;
        while (completed < requested)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("communication thread " + lane + " did not finish within " +
                    TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
            }
            LockSupport.parkNanos(this, WAIT_PARK_NS);
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private void loop()
    {
        while (!closed)
        {
            if (requested == completed)
            {
                LockSupport.parkNanos(this, IDLE_PARK_NS);
                continue;
            }
            try
            {
                for (int b = 0; b < buckets.count(); b++)
                {
                    reduce(b);
                }
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
            completed = requested;
            final Thread coordinator = waiter;
            if (coordinator != null)
            {
                LockSupport.unpark(coordinator);
            }
        }
    }

    private void reduce(final int b)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        for (int r = 0; r < replicas.length; r++)
        {
            while (ready.get(r) <= b)
            {
                if (closed || System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("replica " + r + " did not finish bucket " + b + " in time");
                }
                LockSupport.parkNanos(this, WAIT_PARK_NS);
            }
        }
        final long start = System.nanoTime();
        int count = 0;
        for (int r = 0; r < replicas.length; r++)
        {
            if (replicas[r].examples() > 0)
            {
                inputs[count++] = shards[b][r];
            }
        }
        ShardSum.sum(kernels, inputs, count, shards[b][0], shardLength[b]);
        final long summed = System.nanoTime();
        phases.bucketEvent(step, lane, b, Timeline.BUCKET_SUM, start, summed);
        if (shardLength[b] > 0)
        {
            reducers[b].allReduce(shards[b][0], shardLength[b], globalStep);
        }
        phases.bucketEvent(step, lane, b, Timeline.BUCKET_REDUCE, summed, System.nanoTime());
    }

    private void refreshViews()
    {
        for (int r = 0; r < replicas.length; r++)
        {
            final INDArray gradient = replicas[r].model().flatGradients();
            if (gradient != viewed[r])
            {
                final ByteBuffer whole = HostArrays.floatView(gradient);
                for (int b = 0; b < buckets.count(); b++)
                {
                    shards[b][r] = whole.slice(shardFrom[b] * Float.BYTES, shardLength[b] * Float.BYTES)
                        .order(ByteOrder.nativeOrder());
                }
                viewed[r] = gradient;
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
        BackgroundThreads.stop(thread);
        kernels.close();
    }
}
