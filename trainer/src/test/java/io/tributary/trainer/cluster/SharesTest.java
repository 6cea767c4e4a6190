package io.tributary.trainer.cluster;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.balance.LoadBalancer;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.TrainTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uneven shares keep the synchronous step exact, on nodes joined by real rings; measured shares move toward an
 * injected straggler's speed, and every node holds the same shares.
 */
class SharesTest
{
    /**
     * A forward/backward pass costs a fixed part plus a part per example; here the batch is large enough (1024)
     * that the part per example dominates, so a 3x slower device has a share at which both finish together.
     */
    private static final String WIDE = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [256, 128]",
        "data:", "  type: synthetic", "  size: 65536", "  test_size: 20", "  features: 200", "  classes: 4",
        "optimizer:", "  type: sgd", "  lr: 0.05",
        "strategy:", "  check_every: 20",
        "run:", "  epochs: 1", "  batch_size: 1024", "  seed: 3", "  eval_each_epoch: false", "");

    private static final String SGD = MultiNodeExactnessTest.MLP + "optimizer:\n  type: sgd\n  lr: 0.1\n";

    @Test
    void unevenSharesOnTwoNodesOfTwoDevicesMatchOneDevice() throws Exception
    {
        // Batch 11 at 3:1:1:2: nodes 6/5 (4:3), then devices 5/1 and 2/3: every node and device uneven.
        assertMatchesOneDevice(withShares(InProcessJob.config(SGD, 2, 2, ClusterConfig.LEADER), 3, 1, 1, 2));
    }

    @Test
    void aNodeOfThreeDevicesBesideANodeOfOneMatchesOneDevice() throws Exception
    {
        // Batch 11 over 3 + 1 devices: node 0 trains 8 (3/3/2), node 1 trains 3. Two counts: two nodes.
        final TrainConfig ragged = ConfigLoader.parse("ragged.yaml", SGD + String.join("\n", "cluster:",
            "  devices: [3, 1]", "  timeout_s: 20", ""), List.of());
        assertEquals(2, ragged.cluster().nodes());
        assertArrayEquals(new int[]{ 3, 1 }, ragged.cluster().devicesPerNode());
        assertMatchesOneDevice(ragged);
    }

    /** Every node of {@code job} ends bit-identical, and within the SGD sync tolerance of one device. */
    private static void assertMatchesOneDevice(final TrainConfig job) throws Exception
    {
        final TrainConfig single = InProcessJob.config(SGD, 1, 1, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(single);
        final float[] expected;
        try (Trainer trainer = new Trainer(single, data))
        {
            expected = trainer.train(TrainingListener.NONE).model().params().toFloatVector();
        }
        final float[] actual = InProcessJob.trainIdentical(job, data);
        assertTrue(MultiNodeExactnessTest.maxDiff(expected, actual) <= 1e-6,
            "max |param diff| " + MultiNodeExactnessTest.maxDiff(expected, actual));
    }

    /**
     * The nodes gather 2 + 1 measurements (one per device, a different count per node) and plan the same 3
     * shares; the device slowed 4x ends with the smallest share. Twelve steps: three plans.
     */
    @Test
    void measuredSharesSpanNodesOfDifferentSizes() throws Exception
    {
        final TrainConfig config = ConfigLoader.parse("shares.yaml", WIDE + String.join("\n", "cluster:",
            "  nodes: 2", "  devices: [2, 1]", "  timeout_s: 20", "  balance: measured", "  balance_every: 4",
            "debug:", "  enabled: true", "  slowdown: {node: 1, device: 0, factor: 4}", ""),
            List.of("run.max_steps=12"));
        final List<TrainResult> results = InProcessJob.run(config, InProcessJob.data(config),
            trainer -> trainer.train(TrainingListener.NONE));
        assertEquals(results.get(0).shares(), results.get(1).shares(), "every node plans the same shares");
        assertEquals(results.get(0).shareChanges(), results.get(1).shareChanges());
        assertFalse(results.get(0).shareChanges().isEmpty(), "no plan was taken");
        final List<Double> shares = results.get(0).shares();
        assertEquals(3, shares.size());
        assertTrue(shares.get(2) < shares.get(0) && shares.get(2) < shares.get(1), "shares " + shares);
        assertEquals(List.of(2, 1), results.get(1).devicesPerNode());
    }

    @Test
    void measuredSharesFollowAThreeTimesSlowerNodeAndEveryNodeHoldsTheSame() throws Exception
    {
        final TrainConfig config = ConfigLoader.parse("shares.yaml", WIDE + String.join("\n", "cluster:",
            "  nodes: 2", "  devices: 1", "  timeout_s: 20", "  balance: measured", "  balance_every: 8",
            "debug:", "  enabled: true", "  slowdown: {node: 1, device: 0, factor: 3}", ""), List.of());
        final List<TrainResult> results = InProcessJob.run(config, InProcessJob.data(config),
            trainer -> trainer.train(TrainingListener.NONE));
        final List<Double> shares = results.get(0).shares();
        assertEquals(shares, results.get(1).shares(), "every node plans the same shares from the same numbers");
        assertEquals(results.get(0).shareChanges(), results.get(1).shareChanges());
        assertBalanced(results.get(0), 1024);
        final LoadBalancer.ShareChange first = results.get(0).shareChanges().get(0);
        assertEquals(8, first.globalStep(), "the first plan comes at the first balance_every");
        assertArrayEquals(new long[]{ 64, 64 }, new long[]{ results.get(0).steps(), results.get(1).steps() });
    }

    @Test
    void measuredSharesFollowAThreeTimesSlowerDeviceInOneNode()
    {
        final TrainConfig config = ConfigLoader.parse("shares.yaml", WIDE + String.join("\n", "cluster:",
            "  devices: 2", "  balance: measured", "  balance_every: 8",
            "debug:", "  enabled: true", "  slowdown: {device: 1, factor: 3}", ""), List.of());
        final TrainResult result;
        try (Trainer trainer = new Trainer(config, InProcessJob.data(config)))
        {
            result = trainer.train(TrainingListener.NONE);
        }
        assertBalanced(result, 1024);
    }

    /**
     * Measured on equal slices (the first plan), one device took more than 2x as long as the other: a 3x slowdown
     * of its pass, and more where the two share cores. Measured on the final slices (the last plan's), the two
     * finished within 60% of each other (timer and scheduling noise on a shared 2-core machine): the shares moved to where both finish together. The slow device's share
     * ends below a third of the other's: a pass also has a fixed cost, which a smaller slice does not shrink.
     */
    private static void assertBalanced(final TrainResult result, final int batch)
    {
        final List<LoadBalancer.ShareChange> changes = result.shareChanges();
        assertFalse(changes.isEmpty(), "no plan was taken");
        final double before = passSeconds(List.of(1.0, 1.0), changes.get(0).secondsPerExample(), batch, 1) /
            passSeconds(List.of(1.0, 1.0), changes.get(0).secondsPerExample(), batch, 0);
        assertTrue(before > 2, "on equal slices the slowed device took " + before + "x as long: " + changes);
        final LoadBalancer.ShareChange last = result.lastPlan();
        final double after = passSeconds(last.shares(), last.secondsPerExample(), batch, 1) /
            passSeconds(last.shares(), last.secondsPerExample(), batch, 0);
        assertTrue(after > 1 / 1.6 && after < 1.6, "after balancing the passes took " + after + "x: " + last + " after " +
            changes);
        assertTrue(result.shares().get(0) > 3 * result.shares().get(1), "shares " + result.shares());
    }

    private static double passSeconds(final List<Double> shares, final List<Double> secondsPerExample, final int batch,
        final int device)
    {
        return batch * shares.get(device) / (shares.get(0) + shares.get(1)) * secondsPerExample.get(device);
    }

    private static TrainConfig withShares(final TrainConfig config, final double... shares)
    {
        final List<Double> list = java.util.Arrays.stream(shares).boxed().toList();
        return new TrainConfig(config.name(), config.model(), config.data(), config.optimizer(), config.strategy(),
            config.cluster().withBalance(new io.tributary.trainer.config.BalanceConfig("equal", list, 50, 0.05)),
            config.run(), config.debug());
    }
}
