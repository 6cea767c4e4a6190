package io.tributary.trainer.config;

import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.strategy.StepStrategies;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How replicas agree. {@code type} is the step-level strategy; {@code codec} compresses the gradient between
 * nodes and {@code intraCodec} between the replicas of a node (each with error feedback); {@code overlap}
 * reduces buckets of the gradient while backprop of earlier layers continues. The codec options:
 * {@code topkRatio} (top-k: the fraction of values sent), {@code threshold} (threshold: a fixed tau, or NaN
 * for adaptive), {@code thresholdDensity} (adaptive threshold: the fraction of values to aim at) and
 * {@code qsgdBucket} (qsgd8: values per scale).
 */
public record StrategyConfig(String type, String codec, int checkEvery, String intraCodec, double topkRatio,
    double threshold, double thresholdDensity, int qsgdBucket, boolean overlap, double bucketMb)
{
    public static final String ADAPTIVE = "adaptive";
    public static final String SYNC = "sync";

    /** Exact sync with no codec and no overlap. */
    public static StrategyConfig sync(final int checkEvery)
    {
        return new StrategyConfig("sync", Codecs.NONE, checkEvery, Codecs.NONE, 0.01, Double.NaN, 0.01, 512, false, 1);
    }

    /** Whether the threshold codec picks its tau from the gradients to reach {@link #thresholdDensity}. */
    public boolean adaptiveThreshold()
    {
        return Double.isNaN(threshold);
    }

    static StrategyConfig read(final ConfigReader r)
    {
        r.allow("type", "codec", "check_every", "intra_codec", "topk_ratio", "threshold", "threshold_density",
            "qsgd_bucket", "overlap", "bucket_mb");
        final String[] codecs = Codecs.names().toArray(new String[0]);
        return new StrategyConfig(
            r.choice("type", SYNC, StepStrategies.names().toArray(new String[0])),
            r.choice("codec", Codecs.NONE, codecs),
            r.integer("check_every", 100, 1, Integer.MAX_VALUE),
            r.choice("intra_codec", Codecs.NONE, codecs),
            r.number("topk_ratio", 0.01, 0, true, 1),
            readThreshold(r),
            r.number("threshold_density", 0.01, 0, true, 1),
            r.integer("qsgd_bucket", 512, 1, 1 << 20),
            r.bool("overlap", false),
            r.number("bucket_mb", 1, 0, true, 1024));
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
        map.put("codec", codec);
        map.put("intra_codec", intraCodec);
        map.put("topk_ratio", topkRatio);
        map.put("threshold", adaptiveThreshold() ? ADAPTIVE : threshold);
        map.put("threshold_density", thresholdDensity);
        map.put("qsgd_bucket", qsgdBucket);
        map.put("overlap", overlap);
        map.put("bucket_mb", bucketMb);
        map.put("check_every", checkEvery);
        return map;
    }
}
