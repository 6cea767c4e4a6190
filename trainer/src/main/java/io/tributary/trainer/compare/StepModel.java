package io.tributary.trainer.compare;

import io.tributary.trainer.config.StrategyConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Predicts each strategy's step time on N nodes over a link from what {@link Advisor} measured: a node's step on its
 * slice of the global batch ({@code nodeStepMs}), the exact inter-node reduce of the fp32 gradient on loopback
 * ({@code loopbackReduceMs}: the transport's own cost, which no link removes), and per codec its message size and
 * the time to compress and decode one message. A reduce costs its share of the loopback reduce, in proportion to the
 * bytes each node sends, plus those bytes at the link's rate. Dense codecs travel a ring (each node sends 2 (N-1)/N
 * messages' worth); sparse ones are gathered ((N-1) messages). Then per type: sync waits for the reduce; local SGD
 * for one reduce every period after its warmup; ssp and async hide it behind the next steps, so they take the
 * longer of compute and reduce; overlap hides it behind backprop (half the step); types without a model here
 * count as sync.
 */
public final class StepModel
{
    /**
     * Measured cost of one codec on a full gradient: its message, the time to compress it, and the time to decode
     * one (a sparse codec's message), or to encode and decode the whole vector on the wire (a summable codec's ring
     * does that to partial sums at every hop).
     */
    public record CodecCost(boolean summable, double messageBytes, double compressMs, double decodeMs)
    {
    }

    /** One strategy's predicted step, with the numbers behind it. */
    public record Prediction(String strategy, double stepMs, double reduceMs, double bytesPerStep,
        double samplesPerSec)
    {
    }

    private final double nodeStepMs;
    private final double loopbackReduceMs;
    private final long numParams;
    private final Map<String, CodecCost> codecs;

    /** @param codecs by codec name; "none" is the exact fp32 gradient */
    public StepModel(final double nodeStepMs, final double loopbackReduceMs, final long numParams,
        final Map<String, CodecCost> codecs)
    {
        this.nodeStepMs = nodeStepMs;
        this.loopbackReduceMs = loopbackReduceMs;
        this.numParams = numParams;
        this.codecs = Map.copyOf(codecs);
    }

    /**
     * @param overrides the strategy's {@code --set}s, as {@link StrategyRegistry#overrides} gives them
     * @param warmupShare the share of the run's steps that local SGD spends in its synchronous warmup
     */
    public Prediction predict(final String strategy, final List<String> overrides, final int nodes, final LinkSpec link,
        final int batch, final double warmupShare)
    {
        final String type = value(overrides, "strategy.type", StrategyConfig.SYNC);
        final CodecCost codec = codecs.get(value(overrides, "strategy.codec", "none"));
        final double denseBytes = 2.0 * (nodes - 1) / nodes * 4.0 * numParams;
        final double sent = codec.summable() ? 2.0 * (nodes - 1) / nodes * codec.messageBytes() :
            (nodes - 1) * codec.messageBytes();
        final double codecMs = codec.compressMs() + (codec.summable() ? 2.0 * (nodes - 1) / nodes : nodes - 1) *
            codec.decodeMs();
        final double reduceMs = loopbackReduceMs * sent / denseBytes + sent / link.bytesPerSecond() * 1000 + codecMs;
        final double stepMs = switch (type)
        {
            case StrategyConfig.LOCAL_SGD -> nodeStepMs + reduceMs * (warmupShare +
                (1 - warmupShare) / Integer.parseInt(value(overrides, "strategy.period", "8")));
            case StrategyConfig.SSP, StrategyConfig.ASYNC -> Math.max(nodeStepMs, reduceMs);
            default -> overrides.contains("strategy.overlap=true") ?
                nodeStepMs + Math.max(0, reduceMs - nodeStepMs / 2) : nodeStepMs + reduceMs;
        };
        return new Prediction(strategy, stepMs, reduceMs, sent, batch / stepMs * 1000);
    }

    /** The predictions, fastest first. */
    public static List<Prediction> ranked(final List<Prediction> predictions)
    {
        final List<Prediction> ranked = new ArrayList<>(predictions);
        ranked.sort(Comparator.comparingDouble(Prediction::stepMs));
        return ranked;
    }

    private static String value(final List<String> overrides, final String key, final String fallback)
    {
        String value = fallback;
        for (final String set : overrides)
        {
            if (set.startsWith(key + "=") && !set.endsWith("=null"))
            {
                value = set.substring(key.length() + 1);
            }
        }
        return value;
    }
}
