package io.tributary.trainer.cluster;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.metrics.NodeReport;
import io.tributary.trainer.metrics.StepStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 2 nodes x 2 devices over real rings, 20 steps, with every codec between nodes and with two levels (a codec in
 * the replicas' sends too), both schemes: every node ends bit-identical (the dense ring hands every node the
 * decoding of the same bytes; the sparse gather has every node decode the same messages in rank order), the
 * codec really changed the result (it differs from the exact run), and the telemetry says what travelled.
 */
class CompressedTrainingTest
{
    static Stream<Arguments> cases()
    {
        final Stream.Builder<Arguments> cases = Stream.builder();
        for (final String scheme : List.of(ClusterConfig.LEADER, ClusterConfig.SHARDED))
        {
            for (final String codec : List.of("fp16", "bf16", "qsgd8", "topk", "threshold"))
            {
                cases.add(Arguments.of(scheme, codec, "none"));
            }
            cases.add(Arguments.of(scheme, "topk", "bf16"));
            cases.add(Arguments.of(scheme, "none", "threshold"));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} codec={1} intra_codec={2}")
    @MethodSource("cases")
    void everyNodeEndsBitIdenticalAndTheTelemetrySaysWhatTravelled(final String scheme, final String codec,
        final String intraCodec) throws Exception
    {
        final String strategy = "strategy:\n  check_every: 5\n  codec: " + codec + "\n  intra_codec: " + intraCodec +
            "\n  topk_ratio: 0.05\n  threshold_density: 0.05\n  qsgd_bucket: 32\n";
        final String yaml = MultiNodeExactnessTest.MLP.replace("strategy:\n  check_every: 7\n", strategy) +
            "optimizer:\n  type: adam\n  lr: 0.01\n";
        final TrainConfig config = InProcessJob.config(yaml, 2, 2, scheme);
        final TrainConfig exact = InProcessJob.config(MultiNodeExactnessTest.MLP +
            "optimizer:\n  type: adam\n  lr: 0.01\n", 2, 2, scheme);
        final TrainTest data = InProcessJob.data(config);

        final List<Run> runs = InProcessJob.run(config, data, trainer ->
        {
            final TrainResult result = trainer.train(TrainingListener.NONE);
            return new Run(result.model().params().toFloatVector(), trainer.gatherNodeReports());
        });
        assertArrayEquals(runs.get(0).params, runs.get(1).params, "node 1 differs from node 0");
        final float[] reference = InProcessJob.run(exact, data,
            trainer -> trainer.train(TrainingListener.NONE).model().params().toFloatVector()).get(0);
        assertTrue(MultiNodeExactnessTest.maxDiff(reference, runs.get(0).params) > 0, "the codec changed nothing");

        for (final NodeReport node : runs.get(0).reports)
        {
            final StepStats density = node.compression().get("density");
            final StepStats wire = node.compression().get("wire_bytes_per_step");
            assertTrue(wire.mean() > 0, "node " + node.rank() + " sent nothing");
            if ("none".equals(codec))
            {
                assertEquals(0, density.max(), "an exact ring has no codec density");
            }
            else
            {
                // The histogram keeps 3 significant digits: its max may read up to 0.1% high.
                final double densityCap = "topk".equals(codec) ? Math.ceil(0.05 * 263) / 263 : 1;
                assertTrue(density.mean() > 0 && density.max() <= densityCap * 1.001, "density " + density);
                assertTrue(node.compression().get("ratio").p50() > ("topk".equals(codec) ? 4 : 1.5), "ratio " +
                    node.compression().get("ratio"));
            }
            final StepStats intraDensity = node.compression().get("intra_density");
            assertEquals(!"none".equals(intraCodec), intraDensity.mean() > 0, "intra density " + intraDensity);
        }
    }

    private record Run(float[] params, List<NodeReport> reports)
    {
    }
}
