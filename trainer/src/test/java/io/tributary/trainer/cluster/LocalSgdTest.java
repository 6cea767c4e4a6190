package io.tributary.trainer.cluster;

import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.TrainingPosition;
import io.tributary.trainer.checkpoint.NodeStates;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.ParameterChecksum;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code strategy.type: local-sgd} on nodes over real rings, MultiNodeExactnessTest's job (20 steps of batch 11,
 * so the nodes' slices are 6 and 5 examples and the averaging weights differ).
 */
class LocalSgdTest
{
    private static final String SGD = "optimizer:\n  type: sgd\n  lr: 0.1\n";
    private static final String ADAM = "optimizer:\n  type: adam\n  lr: 0.01\n";

    /**
     * With one step per period and plain SGD, the examples-weighted mean of the nodes' steps is the global step:
     * sync up to float summation order, so SyncStepExactnessTest's SGD bound (max |diff| <= 1e-6).
     */
    @Test
    void periodOneWithPlainSgdIsTheSyncStep() throws Exception
    {
        final TrainConfig sync = InProcessJob.config(MultiNodeExactnessTest.MLP + SGD, 2, 2, ClusterConfig.LEADER);
        final TrainConfig local = InProcessJob.config(localSgd("  period: 1\n") + SGD, 2, 2, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(sync);
        final float[] expected = InProcessJob.trainIdentical(sync, data);
        final float[] actual = InProcessJob.trainIdentical(local, data);
        assertTrue(MultiNodeExactnessTest.maxDiff(expected, actual) <= 1e-6,
            "max |param diff| " + MultiNodeExactnessTest.maxDiff(expected, actual));
    }

    /** One node has nothing to average: the sync step bit for bit, whatever the period. */
    @Test
    void oneNodeIsTheSyncStepBitForBit() throws Exception
    {
        final TrainConfig sync = InProcessJob.config(MultiNodeExactnessTest.MLP + ADAM, 1, 2, ClusterConfig.LEADER);
        final TrainConfig local = InProcessJob.config(localSgd("  period: 4\n") + ADAM, 1, 2, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(sync);
        assertArrayEquals(InProcessJob.trainIdentical(sync, data), InProcessJob.trainIdentical(local, data));
    }

    /**
     * Warmup 2, period 4, Adam with its moments averaged too: the nodes hold bit-identical parameters through the
     * warmup and right after every averaging (global steps 6, 10, 14, 18, and 20: the epoch's end, mid-period), and
     * different ones at every other step, which proves they trained apart. A checkpoint every step shows each
     * node's model; checksums every step show the trainer compares nodes only where they agree.
     */
    @Test
    void nodesAgreeRightAfterEachAveragingAndDifferBetween() throws Exception
    {
        final String yaml = localSgd("  warmup_steps: 2\n  period: 4\n  average_updater: true\n  check_every: 1\n")
            .replace("  check_every: 7\n", "").replace("  timeline_steps: 4", "  timeline_steps: 4\n  checkpoint_steps: 1")
            + ADAM;
        final TrainConfig config = InProcessJob.config(yaml, 2, 2, ClusterConfig.SHARDED);
        final TrainTest data = InProcessJob.data(config);
        final List<Map<Long, Long>> checksums = InProcessJob.run(config, data, LocalSgdTest::checksumsPerStep);
        assertEquals(20, checksums.get(0).size(), checksums.get(0).toString());
        for (long step = 1; step <= 20; step++)
        {
            final boolean averaged = step <= 2 || (step - 2) % 4 == 0 || step == 20;
            final Long node0 = checksums.get(0).get(step);
            final Long node1 = checksums.get(1).get(step);
            if (averaged)
            {
                assertEquals(node0, node1, "global step " + step + ": the nodes must agree");
            }
            else
            {
                assertNotEquals(node0, node1, "global step " + step + ": the nodes must have trained apart");
            }
        }
    }

    /**
     * A codec compresses the averaging's movement: top-k keeping every value sends it whole, and two nodes' sum
     * decoded in rank order (0 + m0 + m1) is the ring's (m0 + m1), so the run is the exact one bit for bit.
     */
    @Test
    void topKOfEveryValueIsTheExactAveragingBitForBit() throws Exception
    {
        final String knobs = "  warmup_steps: 2\n  period: 3\n";
        final TrainConfig exact = InProcessJob.config(localSgd(knobs) + ADAM, 2, 2, ClusterConfig.LEADER);
        final TrainConfig coded = InProcessJob.config(localSgd(knobs + "  codec: topk\n  topk_ratio: 1\n") + ADAM,
            2, 2, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(exact);
        assertArrayEquals(InProcessJob.trainIdentical(exact, data), InProcessJob.trainIdentical(coded, data));
    }

    /**
     * Top-k 10% and fp16 with error feedback: the nodes agree bit for bit after the final averaging (every node
     * decodes the same bytes), and the run differs from the exact one (the codec did compress).
     */
    @Test
    void lossyCodecsKeepTheNodesInAgreement() throws Exception
    {
        final String knobs = "  period: 4\n";
        final TrainConfig exact = InProcessJob.config(localSgd(knobs) + ADAM, 2, 1, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(exact);
        final float[] expected = InProcessJob.trainIdentical(exact, data);
        for (final String codec : new String[] { "  codec: topk\n  topk_ratio: 0.1\n", "  codec: fp16\n" })
        {
            final TrainConfig coded = InProcessJob.config(localSgd(knobs + codec) + ADAM, 2, 1,
                ClusterConfig.SHARDED);
            final float[] actual = InProcessJob.trainIdentical(coded, data);
            assertTrue(MultiNodeExactnessTest.maxDiff(expected, actual) > 0, codec);
        }
    }

    private static Map<Long, Long> checksumsPerStep(final Trainer trainer)
    {
        final Map<Long, Long> checksums = new TreeMap<>();
        trainer.train(new TrainingListener()
        {
            @Override
            public void onCheckpoint(final TrainingPosition position, final TrainableModel model,
                final NodeStates states)
            {
                checksums.put(position.globalStep(), ParameterChecksum.of(model.params()));
            }
        });
        return checksums;
    }

    private static String localSgd(final String knobs)
    {
        return MultiNodeExactnessTest.MLP.replace("strategy:\n", "strategy:\n  type: local-sgd\n" + knobs);
    }
}
