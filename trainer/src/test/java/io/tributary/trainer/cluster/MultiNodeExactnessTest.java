package io.tributary.trainer.cluster;

import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.model.ModelFactory;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes joined by real Aeron rings (UDP loopback, in threads) end 20 steps where one device trained on every
 * whole global batch ends. Global batch 11 over 2 x 2 and 3 x 1 devices gives uneven slices, and the data
 * (220 examples) gives exactly 20 steps. The tolerances are SyncStepExactnessTest's, for the same reason:
 * only the float summation order differs (SGD max |diff| <= 1e-6; Adam max <= 2e-4 with mean <= 1e-6).
 *
 * <p>Every node must hold bit-identical parameters: the ring allreduce gives every node the same sum. And the
 * leader and sharded schemes must end bit-identical to each other: both sum a node's replicas left to right
 * in replica order, and with 2 nodes the ring adds two node sums (commutative, so order-free), with 1 device
 * per node sharded has one shard, the whole gradient, reduced like the leader's.
 */
class MultiNodeExactnessTest
{
    static final String MLP = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [12, 8]",
        "data:", "  type: synthetic", "  size: 220", "  test_size: 20", "  features: 10", "  classes: 3",
        "strategy:", "  check_every: 7",
        "run:", "  epochs: 1", "  batch_size: 11", "  seed: 5", "  eval_each_epoch: false", "  timeline_steps: 4", "");
    private static final double SGD_MAX_DIFF = 1e-6;
    private static final double ADAM_MAX_DIFF = 2e-4;
    private static final double MEAN_DIFF = 1e-6;

    @Test
    void twoNodesOfTwoDevicesMatchOneDeviceWithBothSchemes() throws Exception
    {
        assertBothSchemesMatchOneDevice(MLP + sgd(), 2, 2, SGD_MAX_DIFF, SGD_MAX_DIFF);
    }

    @Test
    void threeNodesOfOneDeviceMatchOneDeviceWithBothSchemes() throws Exception
    {
        assertBothSchemesMatchOneDevice(MLP + sgd(), 3, 1, SGD_MAX_DIFF, SGD_MAX_DIFF);
    }

    @Test
    void adamOnTwoNodesOfTwoDevicesMatchesOneDevice() throws Exception
    {
        assertBothSchemesMatchOneDevice(MLP + "optimizer:\n  type: adam\n  lr: 0.01\n", 2, 2, ADAM_MAX_DIFF, MEAN_DIFF);
    }

    private static String sgd()
    {
        return "optimizer:\n  type: sgd\n  lr: 0.1\n";
    }

    private static void assertBothSchemesMatchOneDevice(final String yaml, final int nodes, final int devices,
        final double maxDiff, final double meanDiff) throws Exception
    {
        final TrainConfig single = InProcessJob.config(yaml, 1, 1, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(single);
        final float[] start = ModelFactory.create(single.model(), single.optimizer(), single.run().seed(),
            data.train().numFeatures(), data.train().numClasses()).params().toFloatVector();
        final float[] expected;
        try (Trainer trainer = new Trainer(single, data))
        {
            expected = trainer.train(TrainingListener.NONE).model().params().toFloatVector();
        }
        assertTrue(maxDiff(start, expected) > 1e-2, "training must move the parameters: " + maxDiff(start, expected));

        final float[] leader = InProcessJob.trainIdentical(InProcessJob.config(yaml, nodes, devices, ClusterConfig.LEADER), data);
        final float[] sharded = InProcessJob.trainIdentical(InProcessJob.config(yaml, nodes, devices, ClusterConfig.SHARDED), data);
        assertArrayEquals(leader, sharded, "leader and sharded must end bit-identical");
        assertTrue(maxDiff(expected, leader) <= maxDiff, "max |param diff| " + maxDiff(expected, leader));
        assertTrue(meanDiff(expected, leader) <= meanDiff, "mean |param diff| " + meanDiff(expected, leader));
    }

    static double maxDiff(final float[] a, final float[] b)
    {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++)
        {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double meanDiff(final float[] a, final float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.length; i++)
        {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }
}
