package io.tributary.trainer.cluster;

import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.TrainTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overlap across 2 nodes x 2 devices over real rings: with no codec it ends bit-identical to the sync run (two
 * nodes add two node sums, which commutes, so cutting the vector into buckets changes no bit), which is within
 * the sync tolerance of one device (MultiNodeExactnessTest); with a codec (which then compresses each bucket on
 * its own) every node still ends bit-identical.
 */
class OverlapNodesTest
{
    private static final String YAML = MultiNodeExactnessTest.MLP.replace("hidden: [12, 8]", "hidden: [40, 20]")
        .replace("strategy:\n  check_every: 7\n", "strategy:\n  check_every: 7\n  bucket_mb: 0.002\n") +
        "optimizer:\n  type: adam\n  lr: 0.01\n";

    @ParameterizedTest(name = "{0} codec={1}")
    @CsvSource({ "leader, none", "sharded, none", "leader, topk", "sharded, threshold", "leader, fp16" })
    void overlapMatchesSyncAcrossNodes(final String scheme, final String codec) throws Exception
    {
        final String yaml = YAML.replace("bucket_mb: 0.002\n", "bucket_mb: 0.002\n  codec: " + codec + "\n");
        final float[] overlapped = train(InProcessJob.config(yaml.replace("bucket_mb:", "overlap: true\n  bucket_mb:"),
            2, 2, scheme));
        final float[] sync = train(InProcessJob.config(yaml, 2, 2, scheme));
        if ("none".equals(codec))
        {
            assertArrayEquals(sync, overlapped, "overlap must end where sync ends");
        }
        else
        {
            // A codec compresses each bucket on its own (its own top-k, its own adaptive threshold), so the runs part;
            // what must hold is that every node agrees (train() asserts it) and that training stays finite.
            for (final float p : overlapped)
            {
                assertTrue(Float.isFinite(p), "a parameter became " + p);
            }
        }
    }

    /** Trains every node; asserts they end bit-identical and returns node 0's parameters. */
    private static float[] train(final TrainConfig config) throws Exception
    {
        final TrainTest data = InProcessJob.data(config);
        final List<float[]> params = InProcessJob.run(config, data,
            trainer -> trainer.train(TrainingListener.NONE).model().params().toFloatVector());
        assertArrayEquals(params.get(0), params.get(1), "node 1 differs from node 0");
        return params.get(0);
    }
}
