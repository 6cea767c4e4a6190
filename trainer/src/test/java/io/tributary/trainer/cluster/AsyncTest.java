package io.tributary.trainer.cluster;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.metrics.NodeReport;
import io.tributary.trainer.metrics.StepStats;
import io.tributary.trainer.metrics.StrategyStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code strategy.type: async} on nodes over real rings, MultiNodeExactnessTest's job (batch 11: the nodes' slices
 * are 6 and 5 examples, so their shares of a global step differ).
 */
class AsyncTest
{
    private static final String SGD = "optimizer:\n  type: sgd\n  lr: 0.1\n";
    private static final String ADAM = "optimizer:\n  type: adam\n  lr: 0.01\n";

    /** A warmup as long as the run leaves nothing asynchronous: the sync step bit for bit. */
    @Test
    void warmupCoveringTheRunIsSyncBitForBit() throws Exception
    {
        final TrainConfig sync = InProcessJob.config(MultiNodeExactnessTest.MLP + ADAM, 2, 2, ClusterConfig.SHARDED);
        final TrainConfig async = InProcessJob.config(async("  warmup_steps: 20\n") + ADAM, 2, 2,
            ClusterConfig.SHARDED);
        final TrainTest data = InProcessJob.data(sync);
        assertArrayEquals(InProcessJob.trainIdentical(sync, data), InProcessJob.trainIdentical(async, data));
    }

    /** One node has no one to wait for: the sync step bit for bit. */
    @Test
    void oneNodeIsTheSyncStepBitForBit() throws Exception
    {
        final TrainConfig sync = InProcessJob.config(MultiNodeExactnessTest.MLP + ADAM, 1, 2, ClusterConfig.LEADER);
        final TrainConfig async = InProcessJob.config(async("  period: 3\n") + ADAM, 1, 2, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(sync);
        assertArrayEquals(InProcessJob.trainIdentical(sync, data), InProcessJob.trainIdentical(async, data));
    }

    /**
     * Staleness 0 makes every node wait until every movement of its last step was exchanged, and period 1 averages
     * after every step: with plain SGD each step is the share-weighted mean of the nodes' steps, which is the global
     * step up to float summation order (SyncStepExactnessTest's SGD bound, max |diff| <= 1e-6).
     */
    @Test
    void stalenessZeroWithPlainSgdIsTheSyncStep() throws Exception
    {
        final TrainConfig sync = InProcessJob.config(MultiNodeExactnessTest.MLP + SGD, 2, 2, ClusterConfig.LEADER);
        final TrainConfig async = InProcessJob.config(async("  staleness: 0\n  period: 1\n") + SGD, 2, 2,
            ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(sync);
        final float[] expected = InProcessJob.trainIdentical(sync, data);
        final float[] actual = InProcessJob.trainIdentical(async, data);
        assertTrue(MultiNodeExactnessTest.maxDiff(expected, actual) <= 1e-6,
            "max |param diff| " + MultiNodeExactnessTest.maxDiff(expected, actual));
    }

    /**
     * Staleness 2, averaging every 7 steps, Adam, 3 nodes of one device, 4 epochs: the run learns the synthetic set
     * as well as sync does (test accuracy within 0.15 of sync's: 20 test examples, so 3 of them), every node ends
     * bit-identical after the final averaging, and each node's metrics hold the staleness it saw, never above 2.
     */
    @Test
    void nodesConvergeAndAgreeAfterTheFinalAveraging() throws Exception
    {
        final String epochs = "  epochs: 4\n";
        final TrainConfig sync = InProcessJob.config(MultiNodeExactnessTest.MLP.replace("  epochs: 1\n", epochs) +
            ADAM, 3, 1, ClusterConfig.LEADER);
        final TrainConfig async = InProcessJob.config(async("  staleness: 2\n  period: 7\n")
            .replace("  epochs: 1\n", epochs) + ADAM, 3, 1, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(sync);
        final double syncAccuracy = InProcessJob.run(sync, data,
            trainer -> trainer.train(TrainingListener.NONE).testAccuracy()).get(0);
        final List<Finished> nodes = InProcessJob.run(async, data, AsyncTest::trainAndReport);
        for (final Finished node : nodes)
        {
            assertArrayEquals(nodes.get(0).params, node.params, "node " + nodes.indexOf(node) + " differs");
            assertEquals(nodes.get(0).result.testAccuracy(), node.result.testAccuracy());
        }
        final TrainResult result = nodes.get(0).result;
        assertTrue(result.testAccuracy() >= syncAccuracy - 0.15,
            "async accuracy " + result.testAccuracy() + ", sync " + syncAccuracy);
        assertTrue(result.finalLoss() < 0.9, "final loss " + result.finalLoss());
        for (final NodeReport report : nodes.get(0).reports)
        {
            final StepStats staleness = report.strategy().get(StrategyStats.STALENESS_STEPS);
            assertTrue(staleness.max() <= 2, "node " + report.rank() + " staleness " + staleness);
            assertTrue(report.strategy().containsKey(StrategyStats.WAIT_MS), report.strategy().toString());
        }
    }

    /**
     * The rounds' movement through top-k 10% and qsgd8, with error feedback, on 2 x 1 for 3 epochs: the nodes agree
     * bit for bit after the final averaging and the run learns the set (test accuracy within 0.15 of sync's).
     */
    @Test
    void codecsCompressTheRoundsAndTheNodesStillAgree() throws Exception
    {
        final String epochs = "  epochs: 3\n";
        final TrainConfig sync = InProcessJob.config(MultiNodeExactnessTest.MLP.replace("  epochs: 1\n", epochs) +
            ADAM, 2, 1, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(sync);
        final double syncAccuracy = InProcessJob.run(sync, data,
            trainer -> trainer.train(TrainingListener.NONE).testAccuracy()).get(0);
        for (final String codec : new String[] { "  codec: topk\n  topk_ratio: 0.1\n", "  codec: qsgd8\n" })
        {
            final TrainConfig async = InProcessJob.config(async("  staleness: 2\n  period: 6\n" + codec)
                .replace("  epochs: 1\n", epochs) + ADAM, 2, 1, ClusterConfig.LEADER);
            final List<Finished> nodes = InProcessJob.run(async, data, AsyncTest::trainAndReport);
            assertArrayEquals(nodes.get(0).params, nodes.get(1).params, codec);
            assertTrue(nodes.get(0).result.testAccuracy() >= syncAccuracy - 0.15,
                codec + ": accuracy " + nodes.get(0).result.testAccuracy() + ", sync " + syncAccuracy);
        }
    }

    private record Finished(TrainResult result, float[] params, List<NodeReport> reports)
    {
    }

    private static Finished trainAndReport(final Trainer trainer)
    {
        final TrainResult result = trainer.train(TrainingListener.NONE);
        return new Finished(result, result.model().params().toFloatVector(), trainer.gatherNodeReports());
    }

    private static String async(final String knobs)
    {
        return MultiNodeExactnessTest.MLP.replace("strategy:\n", "strategy:\n  type: async\n" + knobs);
    }
}
