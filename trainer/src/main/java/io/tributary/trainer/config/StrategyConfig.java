package io.tributary.trainer.config;

import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.strategy.StepStrategies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How replicas agree. {@code type} is the step-level strategy; {@code codec} compresses the gradient between
 * nodes and {@code intraCodec} between the replicas of a node (each with error feedback); {@code overlap}
 * reduces buckets of the gradient while backprop of earlier layers continues. The codec options:
 * {@code topkRatio} (top-k: the fraction of values sent), {@code threshold} (threshold: a fixed tau, or NaN
 * for adaptive), {@code thresholdDensity} (adaptive threshold: the fraction of values to aim at) and
 * {@code qsgdBucket} (qsgd8: values per scale). {@code schedule} holds the knobs of the step-level types
 * local-sgd and ssp.
 */
public record StrategyConfig(String type, String codec, int checkEvery, String intraCodec, double topkRatio,
    double threshold, double thresholdDensity, int qsgdBucket, boolean overlap, double bucketMb, Schedule schedule,
    BackupConfig backup)
{
    /** No straggler mitigation. */
    public StrategyConfig(final String type, final String codec, final int checkEvery, final String intraCodec,
        final double topkRatio, final double threshold, final double thresholdDensity, final int qsgdBucket,
        final boolean overlap, final double bucketMb, final Schedule schedule)
    {
        this(type, codec, checkEvery, intraCodec, topkRatio, threshold, thresholdDensity, qsgdBucket, overlap, bucketMb,
            schedule, BackupConfig.NONE);
    }

    public static final String ADAPTIVE = "adaptive";
    public static final String SYNC = "sync";
    public static final String LOCAL_SGD = "local-sgd";
    public static final String SSP = "ssp";
    public static final String ASYNC = "async";
    /** async's default staleness: room for a few steps of the slowest node, not sync's lockstep. */
    static final int ASYNC_STALENESS = 4;

    /**
     * When nodes exchange what: {@code warmupSteps} global steps of exact sync first (local-sgd, ssp, async); then
     * local SGD averages the nodes' parameters every {@code period} steps (and their updater state too when
     * {@code averageUpdater}); ssp applies each global gradient {@code staleness} steps late; async exchanges
     * movements in the background, runs at most {@code staleness} steps ahead of the slowest node and averages
     * every {@code period} steps. Under sync with a codec, the first {@code warmupSteps} steps are exact and
     * dense; {@code freezeVarianceAfter} (0: never) freezes Adam's second moment after that many global steps.
     */
    public record Schedule(int warmupSteps, int period, boolean averageUpdater, int staleness,
        int freezeVarianceAfter)
    {
        /** The defaults; sync reads only warmupSteps and freezeVarianceAfter, and only with a codec. */
        public static final Schedule DEFAULT = new Schedule(0, 8, false, 1, 0);
    }

    /** Exact sync with no codec and no overlap. */
    public static StrategyConfig sync(final int checkEvery)
    {
        return new StrategyConfig(SYNC, Codecs.NONE, checkEvery, Codecs.NONE, 0.01, Double.NaN, 0.01, 512, false, 1,
            Schedule.DEFAULT);
    }

    /** Whether the threshold codec picks its tau from the gradients to reach {@link #thresholdDensity}. */
    public boolean adaptiveThreshold()
    {
        return Double.isNaN(threshold);
    }

    static StrategyConfig read(final ConfigReader r)
    {
        r.allow("type", "codec", "check_every", "intra_codec", "topk_ratio", "threshold", "threshold_density",
            "qsgd_bucket", "overlap", "bucket_mb", "warmup_steps", "period", "average_updater", "staleness",
            "freeze_variance_after", "backup_nodes", "max_wait_ms", "backup_probe_every");
        final String[] codecs = Codecs.names().toArray(new String[0]);
        final String type = r.choice("type", SYNC, StepStrategies.names().toArray(new String[0]));
        onlyUnder(r, type, "warmup_steps", SYNC, LOCAL_SGD, SSP, ASYNC);
        onlyUnder(r, type, "freeze_variance_after", SYNC);
        onlyUnder(r, type, "period", LOCAL_SGD, ASYNC);
        onlyUnder(r, type, "average_updater", LOCAL_SGD);
        onlyUnder(r, type, "staleness", SSP, ASYNC);
        final Schedule schedule = new Schedule(
            r.integer("warmup_steps", Schedule.DEFAULT.warmupSteps(), 0, Integer.MAX_VALUE),
            r.integer("period", Schedule.DEFAULT.period(), 1, Integer.MAX_VALUE),
            r.bool("average_updater", Schedule.DEFAULT.averageUpdater()),
            r.integer("staleness", ASYNC.equals(type) ? ASYNC_STALENESS : Schedule.DEFAULT.staleness(), 0, 1024),
            r.integer("freeze_variance_after", Schedule.DEFAULT.freezeVarianceAfter(), 0, Integer.MAX_VALUE));
        final StrategyConfig strategy = new StrategyConfig(
            type,
            r.choice("codec", Codecs.NONE, codecs),
            r.integer("check_every", 100, 1, Integer.MAX_VALUE),
            r.choice("intra_codec", Codecs.NONE, codecs),
            r.number("topk_ratio", 0.01, 0, true, 1),
            readThreshold(r),
            r.number("threshold_density", 0.01, 0, true, 1),
            r.integer("qsgd_bucket", 512, 1, 1 << 20),
            r.bool("overlap", false),
            r.number("bucket_mb", 1, 0, true, 1024),
            schedule,
            BackupConfig.read(r, type));
        strategy.checkCombinations(r);
        return strategy;
    }

    private static void onlyUnder(final ConfigReader r, final String type, final String key, final String... types)
    {
        if (r.has(key) && !List.of(types).contains(type))
        {
            throw r.error(key, "only with strategy.type " + String.join(" or ", types) + ", got type " + type);
        }
    }

    /**
     * What the step-level types refuse: overlap (ssp already hides the reduce behind whole steps; local SGD's
     * and async's local steps send nothing), a replica codec under local-sgd and async (their local steps are
     * exact). Under local-sgd the codec compresses the averaging's movement, under async each round's movement,
     * with error feedback. Under sync, a warmup is the codec's (exact dense steps before it), and a frozen
     * variance is for a codec's delayed values.
     */
    private void checkCombinations(final ConfigReader r)
    {
        if (SYNC.equals(type) && r.has("warmup_steps") && Codecs.NONE.equals(codec))
        {
            throw r.error("warmup_steps", "under strategy.type sync it delays strategy.codec, which is none; " +
                "remove it or set a codec");
        }
        if (r.has("freeze_variance_after") && Codecs.NONE.equals(codec))
        {
            throw r.error("freeze_variance_after", "is for a codec's delayed values, and strategy.codec is none; " +
                "remove it or set a codec");
        }
        if (overlap && !SYNC.equals(type))
        {
            throw r.error("overlap", "expected false under strategy.type " + type + " (overlap reduces buckets " +
                "inside one synchronous step), got true");
        }
        if ((LOCAL_SGD.equals(type) || ASYNC.equals(type)) && !Codecs.NONE.equals(intraCodec))
        {
            throw r.error("intra_codec", "expected none under strategy.type " + type + " (the node's local steps " +
                "are exact), got " + intraCodec);
        }
    }

    /** {@code adaptive} (NaN) or a number > 0. */
    private static double readThreshold(final ConfigReader r)
    {
        final String text = r.string("threshold", ADAPTIVE);
        if (ADAPTIVE.equals(text))
        {
            return Double.NaN;
        }
        try
        {
            Double.parseDouble(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw r.error("threshold", "expected '" + ADAPTIVE + "' or a number > 0, got '" + text + "'");
        }
        return r.number("threshold", Double.NaN, 0, true, Float.MAX_VALUE);
    }

    /** The resolved section, every default written out, in the order of the reference. */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type);
        if (!SYNC.equals(type) || !Codecs.NONE.equals(codec))
        {
            map.put("warmup_steps", schedule.warmupSteps());
        }
        if (SYNC.equals(type) && !Codecs.NONE.equals(codec))
        {
            map.put("freeze_variance_after", schedule.freezeVarianceAfter());
        }
        if (LOCAL_SGD.equals(type) || ASYNC.equals(type))
        {
            map.put("period", schedule.period());
        }
        if (LOCAL_SGD.equals(type))
        {
            map.put("average_updater", schedule.averageUpdater());
        }
        if (SSP.equals(type) || ASYNC.equals(type))
        {
            map.put("staleness", schedule.staleness());
        }
        map.put("codec", codec);
        map.put("intra_codec", intraCodec);
        map.put("topk_ratio", topkRatio);
        map.put("threshold", adaptiveThreshold() ? ADAPTIVE : threshold);
        map.put("threshold_density", thresholdDensity);
        map.put("qsgd_bucket", qsgdBucket);
        map.put("overlap", overlap);
        backup.putInto(map);
        map.put("bucket_mb", bucketMb);
        map.put("check_every", checkEvery);
        return map;
    }
}
