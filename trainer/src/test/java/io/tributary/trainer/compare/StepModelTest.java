package io.tributary.trainer.compare;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The advice's step model on made-up measurements, where every prediction is a sum worked out by hand: a node's
 * step of 10 ms, an fp32 reduce of 4 ms on loopback, 1,000,000 parameters (4 MB), and two codecs.
 */
class StepModelTest
{
    private static final double EPS = 1e-9;
    private static final LinkSpec GBIT = LinkSpec.parse("1gbit", null);

    private final StepModel model = new StepModel(10, 4, 1_000_000, Map.of(
        "none", new StepModel.CodecCost(true, 4_000_000, 0, 0),
        "fp16", new StepModel.CodecCost(true, 2_000_000, 1, 2),
        "topk", new StepModel.CodecCost(false, 60_000, 3, 0.5)));

    @Test
    void syncWaitsForTheReduceAtTheLinksRate()
    {
        // Loopback: the measured reduce alone. 1 Gbit/s: 4 MB more at 125 MB/s, 32 ms.
        assertEquals(14, predict("sync", 2, LinkSpec.LOOPBACK).stepMs(), EPS);
        assertEquals(10 + 4 + 32, predict("sync", 2, GBIT).stepMs(), EPS);
        // 4 nodes: each sends 2 * 3/4 of the gradient, 6 MB, 48 ms on the wire; the loopback reduce is measured on
        // the same 4 nodes, so its 4 ms stand.
        assertEquals(10 + 4 + 48, predict("sync", 4, GBIT).stepMs(), EPS);
    }

    @Test
    void codecsSendTheirMessagesAndPayTheirKernels()
    {
        // fp16 on 2 nodes: half the bytes (2 ms of loopback cost, 16 ms of wire), compress 1 ms, one round trip 2 ms.
        assertEquals(10 + 2 + 16 + 1 + 2, predict("fp16", 2, GBIT).stepMs(), EPS);
        // top-k on 4 nodes is gathered: 3 messages of 60 KB sent, 3 decoded.
        final StepModel.Prediction topk = predict("topk", 4, GBIT);
        assertEquals(180_000, topk.bytesPerStep(), EPS);
        assertEquals(10 + 4 * 180_000 / 6_000_000.0 + 180_000 / 125e6 * 1000 + 3 + 3 * 0.5, topk.stepMs(), EPS);
    }

    @Test
    void stepTypesHideOrSpreadTheReduce()
    {
        final double reduce = 4 + 32;
        assertEquals(Math.max(10, reduce), predict("ssp", 2, GBIT).stepMs(), EPS);
        assertEquals(Math.max(10, reduce), predict("async", 2, GBIT).stepMs(), EPS);
        // Local SGD: synchronous for its warmup (half the run here), then one reduce every 8 steps.
        assertEquals(10 + reduce * (0.5 + 0.5 / 8), predict("local-sgd", 2, GBIT).stepMs(), EPS);
        // Overlap hides the reduce behind half the step.
        assertEquals(10 + reduce - 5, predict("sync+overlap", 2, GBIT).stepMs(), EPS);
        assertEquals(128 / (10 + reduce) * 1000, predict("sync", 2, GBIT).samplesPerSec(), EPS);
    }

    @Test
    void theRankingPutsTheShortestStepFirst()
    {
        final List<StepModel.Prediction> ranked = StepModel.ranked(List.of(predict("sync", 2, GBIT),
            predict("topk", 2, GBIT), predict("ssp", 2, GBIT)));
        assertEquals(List.of("topk", "ssp", "sync"), ranked.stream().map(StepModel.Prediction::strategy).toList());
    }

    private StepModel.Prediction predict(final String strategy, final int nodes, final LinkSpec link)
    {
        return model.predict(strategy, StrategyRegistry.overrides(strategy, 100), nodes, link, 128, 0.5);
    }
}
