package io.tributary.trainer.cluster;

import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.TrainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sync's codec warmup on 2 nodes x 2 devices (20 steps): while it lasts the rings are exact, so a warmup that
 * covers the run is the exact run bit for bit; after it the codec runs, and with {@code freeze_variance_after: S}
 * Adam's second moment stays as the first S steps left it, every node still bit-identical.
 */
class CodecWarmupTest
{
    private static final String ADAM = "optimizer:\n  type: adam\n  lr: 0.01\n";

    private static String topk(final String knobs)
    {
        return MultiNodeExactnessTest.MLP.replace("strategy:\n  check_every: 7\n",
            "strategy:\n  check_every: 5\n  codec: topk\n  topk_ratio: 0.05\n" + knobs) + ADAM;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { ClusterConfig.LEADER, ClusterConfig.SHARDED })
    void aWarmupThatCoversTheRunIsTheExactRun(final String scheme) throws Exception
    {
        final TrainConfig warm = InProcessJob.config(topk("  warmup_steps: 20\n"), 2, 2, scheme);
        final TrainConfig exact = InProcessJob.config(MultiNodeExactnessTest.MLP + ADAM, 2, 2, scheme);
        final TrainTest data = InProcessJob.data(exact);
        assertArrayEquals(InProcessJob.trainIdentical(exact, data), InProcessJob.trainIdentical(warm, data));
    }

    @Test
    void afterTheWarmupTheCodecAndTheFrozenVarianceRunOnEveryNodeAlike() throws Exception
    {
        final TrainConfig exact = InProcessJob.config(MultiNodeExactnessTest.MLP + ADAM, 2, 2, ClusterConfig.LEADER);
        final TrainConfig coded = InProcessJob.config(topk("  warmup_steps: 8\n"), 2, 2, ClusterConfig.LEADER);
        final TrainConfig frozen = InProcessJob.config(topk("  warmup_steps: 8\n  freeze_variance_after: 12\n"), 2, 2,
            ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(exact);
        final float[] exactParams = InProcessJob.trainIdentical(exact, data);
        final float[] codedParams = InProcessJob.trainIdentical(coded, data);
        final float[] frozenParams = InProcessJob.trainIdentical(frozen, data);
        assertTrue(MultiNodeExactnessTest.maxDiff(exactParams, codedParams) > 0, "the codec never ran");
        assertTrue(MultiNodeExactnessTest.maxDiff(codedParams, frozenParams) > 0, "the freeze changed nothing");
    }
}
