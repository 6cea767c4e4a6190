package io.tributary.trainer.cluster;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.codec.CodecMeter;
import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.StrategyConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.BatchSplit;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.sync.Buckets;
import io.tributary.trainer.replica.sync.GradientReducer;
import io.tributary.trainer.replica.sync.IntraCompression;
import io.tributary.trainer.replica.sync.LeaderScheme;
import io.tributary.trainer.replica.sync.LocalGradientReducer;
import io.tributary.trainer.replica.sync.NodeChecksums;
import io.tributary.trainer.replica.sync.NodeGradientSum;
import io.tributary.trainer.replica.sync.OverlapScheme;
import io.tributary.trainer.replica.sync.ShardReducer;
import io.tributary.trainer.replica.sync.ShardedScheme;
import io.tributary.trainer.replica.sync.StaleScheme;
import io.tributary.trainer.replica.sync.SyncScheme;
import io.tributary.transport.Collective;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a node's {@link SyncScheme} from its configuration: {@code cluster.scheme} picks leader or sharded, and
 * {@code strategy.codec} / {@code strategy.intra_codec} put a codec into the rings between nodes and into the
 * replicas' sends inside the node. With one node (or a caller's reducer) there is no ring, so only the replica
 * codec applies. Under {@code strategy.type: ssp} the same rings and codecs reduce in the background
 * ({@link StaleScheme}).
 */
public final class SchemeFactory
{
    private static final CodecMeter[] NONE = new CodecMeter[0];
    /** The codec stream of a strategy's own coded collective ({@link #codedAcrossNodes}). */
    private static final int STRATEGY_STREAM = 1 << 20;

    /**
     * The scheme with its codecs' meters.
     *
     * @param inter one meter per ring (empty: exact rings)
     * @param intra one meter per replica (empty: no replica codec)
     */
    public record Built(SyncScheme scheme, CodecMeter[] inter, CodecMeter[] intra) implements AutoCloseable
    {
        /** The parts of this node's own state: the rings' codecs, then the replicas'. */
        public List<NodeState> stateParts()
        {
            final List<NodeState> parts = new ArrayList<>();
            for (final CodecMeter meter : inter)
            {
                parts.add(meter.codec());
            }
            for (final CodecMeter meter : intra)
            {
                parts.add(meter.codec());
            }
            return parts;
        }

        /** Closes the scheme (and with it the replicas' codecs), then the rings' codecs. */
        @Override
        public void close()
        {
            scheme.close();
            for (final CodecMeter meter : inter)
            {
                meter.codec().close();
            }
        }
    }

    private SchemeFactory()
    {
    }

    private static Built overlap(final TrainConfig config, final DeviceReplica[] replicas,
        final ReplicaThreads threads, final NodeTransports rings, final StepPhases phases, final Buckets buckets,
        final long timeoutMs)
    {
        final StrategyConfig strategy = config.strategy();
        final long seed = config.run().seed();
        final IntraCompression intra = IntraCompression.create(replicas, strategy, seed, buckets.froms(),
            buckets.lengths());
        final int lanes = rings == null ? 1 : rings.rings();
        final boolean coded = rings != null && !Codecs.NONE.equals(strategy.codec());
        final ShardReducer[][] reducers = new ShardReducer[lanes][buckets.count()];
        final CodecMeter[] meters = coded ? new CodecMeter[lanes * buckets.count()] : NONE;
        for (int d = 0; d < lanes; d++)
        {
            for (int b = 0; b < buckets.count(); b++)
            {
                if (rings == null)
                {
                    reducers[d][b] = ShardReducer.NONE;
                }
                else if (coded)
                {
                    final int at = d * buckets.count() + b;
                    meters[at] = new CodecMeter(Codecs.create(strategy.codec(), strategy,
                        BatchSplit.sliceSize(buckets.length(b), lanes, d)));
                    reducers[d][b] = codedRing(rings.ring(d), meters[at], seed, at, strategy);
                }
                else
                {
                    reducers[d][b] = RingReducers.exact(rings.ring(d));
                }
            }
        }
        final NodeChecksums checksums = rings == null ? new LocalGradientReducer() :
            new CollectiveChecksums(rings.control());
        return new Built(new OverlapScheme(replicas, threads, buckets, reducers, intra, checksums, phases, timeoutMs),
            meters, intra == null ? NONE : intra.meters());
    }

    /** A ring through the codec, exact during {@code strategy.warmup_steps}: every type's warmup is exact sync. */
    private static ShardReducer codedRing(final Collective ring, final CodecMeter meter, final long seed,
        final int index, final StrategyConfig strategy)
    {
        return RingReducers.afterWarmup(RingReducers.exact(ring), RingReducers.coded(ring, meter, seed, index),
            strategy.schedule().warmupSteps());
    }

    private static StaleScheme stale(final TrainConfig config, final DeviceReplica[] replicas,
        final ReplicaThreads threads, final NodeGradientSum sum, final ShardReducer[] rings,
        final NodeChecksums checksums, final StepPhases phases, final IntraCompression intra, final long timeoutMs)
    {
        final StrategyConfig.Schedule schedule = config.strategy().schedule();
        return new StaleScheme(replicas, threads, sum, rings, checksums, phases, intra, schedule.staleness(),
            schedule.warmupSteps(), timeoutMs);
    }

    /**
     * A new exact fp32 sum over every node, for a strategy's own collectives between steps: over ring 0 of
     * {@code rings}, else the caller's {@code reducer}; null on one node (both null).
     */
    public static GradientReducer acrossNodes(final NodeTransports rings, final GradientReducer reducer)
    {
        return rings != null ? new CollectiveReducer(rings.control()) : reducer;
    }

    /**
     * A new sum over every node through {@code meter}'s codec (error feedback on this node), on ring 0, for a
     * strategy's own collectives between steps; its random streams are apart from every ring's and bucket's.
     *
     * @throws IllegalArgumentException without rings (a caller's reducer cannot carry a codec)
     */
    public static GradientReducer codedAcrossNodes(final NodeTransports rings, final CodecMeter meter, final long seed)
    {
        if (rings == null)
        {
            throw new IllegalArgumentException("a codec between nodes needs the job's own rings, not a caller's " +
                "reducer");
        }
        return new CollectiveReducer(rings.control(), RingReducers.coded(rings.control(), meter, seed, STRATEGY_STREAM));
    }

    /** The buckets of {@code strategy.overlap} for this model, or null without overlap. */
    public static Buckets buckets(final TrainConfig config, final TrainableModel model)
    {
        return config.strategy().overlap() ? Buckets.of(model.gradientLayout(), model.numParams(),
            (long)(config.strategy().bucketMb() * 1024 * 1024)) : null;
    }

    /**
     * @param rings   this node's rings, or null for one node or a caller's reducer
     * @param reducer the caller's reducer for the leader scheme, or null (not with overlap)
     * @param buckets {@link #buckets}: null without overlap
     */
    public static Built build(final TrainConfig config, final DeviceReplica[] replicas, final ReplicaThreads threads,
        final NodeTransports rings, final GradientReducer reducer, final NodeGradientSum sum, final StepPhases phases,
        final Buckets buckets, final long timeoutMs)
    {
        if (buckets != null)
        {
            if (reducer != null)
            {
                throw new IllegalArgumentException("overlap reduces bucket by bucket on the job's own rings, not " +
                    "through a caller's reducer");
            }
            return overlap(config, replicas, threads, rings, phases, buckets, timeoutMs);
        }
        final StrategyConfig strategy = config.strategy();
        final long seed = config.run().seed();
        final IntraCompression intra = IntraCompression.create(replicas, strategy, seed);
        final CodecMeter[] intraMeters = intra == null ? NONE : intra.meters();
        final boolean stale = StrategyConfig.SSP.equals(strategy.type());
        if (stale && reducer != null)
        {
            throw new IllegalArgumentException("ssp reduces in the background on the job's own rings, not through " +
                "a caller's reducer");
        }
        if (rings == null && stale)
        {
            return new Built(stale(config, replicas, threads, sum, new ShardReducer[]{ ShardReducer.NONE },
                NodeChecksums.NONE, phases, intra, timeoutMs), NONE, intraMeters);
        }
        if (rings == null)
        {
            return new Built(new LeaderScheme(replicas, threads, sum,
                reducer == null ? new LocalGradientReducer() : reducer, phases, intra), NONE, intraMeters);
        }
        final int numParams = Math.toIntExact(replicas[0].model().numParams());
        final boolean coded = !Codecs.NONE.equals(strategy.codec());
        final int ringCount = rings.rings();
        final CodecMeter[] meters = coded ? new CodecMeter[ringCount] : NONE;
        final ShardReducer[] reducers = new ShardReducer[ringCount];
        for (int d = 0; d < ringCount; d++)
        {
            if (coded)
            {
                final int length = ringCount == 1 ? numParams : BatchSplit.sliceSize(numParams, ringCount, d);
                meters[d] = new CodecMeter(Codecs.create(strategy.codec(), strategy, length));
                reducers[d] = codedRing(rings.ring(d), meters[d], seed, d, strategy);
            }
            else
            {
                reducers[d] = RingReducers.exact(rings.ring(d));
            }
        }
        if (stale)
        {
            // Leader: one ring over the whole node sum; sharded: ring d over shard d, as the sync schemes reduce.
            return new Built(stale(config, replicas, threads, sum, reducers, new CollectiveChecksums(rings.control()),
                phases, intra, timeoutMs), meters, intraMeters);
        }
        if (!ClusterConfig.SHARDED.equals(config.cluster().scheme()))
        {
            return new Built(new LeaderScheme(replicas, threads, sum, new CollectiveReducer(rings.control(), reducers[0]),
                phases, intra), meters, intraMeters);
        }
        return new Built(new ShardedScheme(replicas, threads, reducers, new CollectiveChecksums(rings.control()), phases,
            numParams, intra), meters, intraMeters);
    }
}
