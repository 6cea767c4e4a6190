package io.tributary.trainer.replica.sync;

import io.tributary.trainer.metrics.Phase;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Communication overlapped with the backward pass (DDP's buckets): every replica's model tells this scheme, layer
 * by layer, how far its gradient is final; as soon as every replica has finished a bucket, the communication
 * thread of each ring sums its shard of the bucket over the node and reduces it across nodes, while backprop of
 * earlier layers goes on. A replica codec ({@code strategy.intra_codec}) compresses each bucket on the replica's
 * thread as it finishes it. When the last bucket is reduced, the replicas copy the global sum as in every
 * scheme. Per element the sums are those of the leader and sharded schemes, but the rings cut each bucket into
 * their own segments, so with more than two nodes the order of additions, and the last bits, differ.
 */
public final class OverlapScheme implements SyncScheme
{
    private final DeviceReplica[] replicas;
    private final Buckets buckets;
    private final IntraCompression intra;
    private final NodeChecksums checksums;
    private final StepPhases phases;
    private final GlobalSumCopy copy;
    private final AtomicIntegerArray ready;
    private final int[] nextBucket;
    private final CommLane[] lanes;
    private long globalStep;

    /**
     * @param reducers reducers[d][b]: ring d's reducer of its shard of bucket b (one ring: leader)
     * @param intra    the replicas' codecs, one segment per bucket (null: exact); closed with this scheme
     */
    public OverlapScheme(final DeviceReplica[] replicas, final ReplicaThreads threads, final Buckets buckets,
        final ShardReducer[][] reducers, final IntraCompression intra, final NodeChecksums checksums,
        final StepPhases phases, final long timeoutMs)
    {
        this.replicas = replicas;
        this.buckets = buckets;
        this.intra = intra;
        this.checksums = checksums;
        this.phases = phases;
        this.copy = new GlobalSumCopy(replicas, threads, phases);
        this.ready = new AtomicIntegerArray(replicas.length);
        this.nextBucket = new int[replicas.length];
        this.lanes = new CommLane[reducers.length];
        for (int d = 0; d < lanes.length; d++)
        {
            lanes[d] = new CommLane(d, lanes.length, replicas, buckets, reducers[d], ready, phases, timeoutMs * 1_000_000L);
        }
        for (int r = 0; r < replicas.length; r++)
        {
            final int replica = r;
            replicas[r].model().installBackpropHook(offset -> finalFrom(replica, offset));
        }
    }

    public Buckets buckets()
    {
        return buckets;
    }

    @Override
    public void beforeCompute(final long step, final long globalStep)
    {
        this.globalStep = globalStep;
        for (int r = 0; r < replicas.length; r++)
        {
            nextBucket[r] = 0;
            ready.set(r, 0);
        }
        for (final CommLane lane : lanes)
        {
            lane.start(step, globalStep);
        }
    }

    /** On replica {@code replica}'s thread: its gradient is final from {@code offset} on. */
    private void finalFrom(final int replica, final long offset)
    {
        int b = nextBucket[replica];
        while (b < buckets.count() && buckets.from(b) >= offset)
        {
            if (intra != null)
            {
                intra.compress(replica, b, globalStep);
            }
            b++;
        }
        if (b != nextBucket[replica])
        {
            nextBucket[replica] = b;
            ready.set(replica, b);
            for (final CommLane lane : lanes)
            {
                lane.wake();
            }
        }
    }

    @Override
    public void afterBackward(final int replica, final long globalStep)
    {
        finalFrom(replica, 0);
    }

    @Override
    public void reduce(final long step, final long globalStep)
    {
        final long start = System.nanoTime();
        RuntimeException failure = null;
        for (final CommLane lane : lanes)
        {
            try
            {
                lane.await();
            }
            catch (final RuntimeException ex)
            {
                failure = failure == null ? ex : failure;
            }
        }
        if (failure != null)
        {
            throw failure; // a lost peer surfaces as itself (PeerLostException), not wrapped
        }
        final long reduced = System.nanoTime();
        phases.event(step, 0, Phase.INTER, start, reduced);
        phases.duration(Phase.INTER, reduced - start);
        copy.run(step);
        phases.duration(Phase.INTRA, System.nanoTime() - reduced);
    }

    @Override
    public void verifyChecksum(final long step, final long checksum)
    {
        checksums.verifyChecksum(step, checksum);
    }

    @Override
    public void close()
    {
        for (final CommLane lane : lanes)
        {
            lane.close();
        }
        if (intra != null)
        {
            intra.close();
        }
    }
}
