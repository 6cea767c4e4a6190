package io.tributary.trainer.codec;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.kernels.GradientKernels;
import io.tributary.trainer.config.StrategyConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one list of gradient codecs: configuration validation, help texts and the comparison harness read it.
 * {@value #NONE} is exact and has no codec object: the step keeps its zero-copy path.
 */
public final class Codecs
{
    public static final String NONE = "none";

    /** Makes a codec for vectors of {@code length} floats from the strategy's options; it owns {@code kernels}. */
    @FunctionalInterface
    public interface Factory
    {
        GradientCodec create(StrategyConfig strategy, int length, GradientKernels kernels);
    }

    private record Entry(String description, Factory factory)
    {
    }

    private static final Map<String, Entry> CODECS = new LinkedHashMap<>();

    static
    {
        CODECS.put(NONE, new Entry("exact fp32, 4 bytes a value", null));
        CODECS.put(HalfCodec.FP16, new Entry("IEEE half precision, 2 bytes a value",
            (s, n, k) -> HalfCodec.fp16(n, k)));
        CODECS.put(HalfCodec.BF16, new Entry("bfloat16, 2 bytes a value, fp32's range",
            (s, n, k) -> HalfCodec.bf16(n, k)));
        CODECS.put(Qsgd8Codec.NAME, new Entry("8-bit stochastic quantisation, one scale per strategy.qsgd_bucket values",
            (s, n, k) -> new Qsgd8Codec(n, s.qsgdBucket(), k)));
        CODECS.put(TopKCodec.NAME, new Entry("the strategy.topk_ratio largest magnitudes, ~6 bytes a value sent",
            (s, n, k) -> new TopKCodec(n, s.topkRatio(), k)));
        CODECS.put(ThresholdCodec.NAME, new Entry("sign of every value beyond strategy.threshold, ~2 bytes a value sent",
            (s, n, k) -> new ThresholdCodec(n, s.threshold(), s.thresholdDensity(), k)));
    }

    private Codecs()
    {
    }

    public static Set<String> names()
    {
        return CODECS.keySet();
    }

    public static String description(final String name)
    {
        return entry(name).description();
    }

    /**
     * A codec on the host kernels ({@link CpuGradientKernels}), which it owns and closes.
     *
     * @return null for {@value #NONE}
     */
    public static GradientCodec create(final String name, final StrategyConfig strategy, final int length)
    {
        final Factory factory = entry(name).factory();
        return factory == null ? null : factory.create(strategy, length, new CpuGradientKernels());
    }

    private static Entry entry(final String name)
    {
        final Entry entry = CODECS.get(name);
        if (entry == null)
        {
            throw new IllegalArgumentException("no codec named '" + name + "'; known: " + String.join(", ", names()));
        }
        return entry;
    }
}
