package io.tributary.trainer;

import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.replica.sync.GradientReducer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link GradientReducer} seam carries multi-node training: two Trainers in one process, joined by an
 * in-memory reducer, end bit-identical to each other and, up to summation order, equal to one node with
 * the same total number of devices. The Aeron rings (cluster.CollectiveReducer) plug in at the same place.
 */
class TwoNodesInOneProcessTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [12]",
        "data:", "  type: synthetic", "  size: 90", "  test_size: 30", "  features: 6", "  classes: 3",
        "optimizer:", "  type: sgd", "  lr: 0.05",
        "strategy:", "  check_every: 5",
        "run:", "  epochs: 2", "  batch_size: 8", "  seed: 3", "");

    @Test
    void twoNodesMatchOneNodeWithAllTheDevices() throws Exception
    {
        final TrainConfig base = ConfigLoader.parse("two-nodes.yaml", CONFIG, List.of());
        final TrainTest data = DataSource.of(base.data()).load();
        final TrainConfig perNode = withCluster(base, 2, 2);
        final InMemoryReducer.Group group = new InMemoryReducer.Group(2);

        final CompletableFuture<TrainResult> node0 = CompletableFuture.supplyAsync(() -> train(perNode, data, group, 0));
        final CompletableFuture<TrainResult> node1 = CompletableFuture.supplyAsync(() -> train(perNode, data, group, 1));
        final TrainResult a = node0.get(60, TimeUnit.SECONDS);
        final TrainResult b = node1.get(60, TimeUnit.SECONDS);
        assertEquals(a.paramChecksum(), b.paramChecksum());
        assertArrayEquals(a.model().params().toFloatVector(), b.model().params().toFloatVector());

        final TrainResult single;
        try (Trainer trainer = new Trainer(withCluster(base, 4, 1), data))
        {
            single = trainer.train(TrainingListener.NONE);
        }
        assertEquals(single.steps(), a.steps());
        final float[] expected = single.model().params().toFloatVector();
        final float[] actual = a.model().params().toFloatVector();
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++)
        {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        // SGD: summation order only, a few ulps (see SyncStepExactnessTest).
        assertTrue(maxDiff <= 1e-6, "max |param diff| " + maxDiff);
    }

    private static TrainResult train(final TrainConfig config, final TrainTest data, final InMemoryReducer.Group group,
        final int rank)
    {
        try (Trainer trainer = new Trainer(config, data, new InMemoryReducer(group, rank), rank))
        {
            return trainer.train(TrainingListener.NONE);
        }
    }

    private static TrainConfig withCluster(final TrainConfig c, final int devices, final int nodes)
    {
        return new TrainConfig(c.name(), c.model(), c.data(), c.optimizer(), c.strategy(),
            new ClusterConfig("cpu", devices, nodes), c.run());
    }

    /** Sums node gradients in rank order through shared memory: deterministic, identical on every node. */
    private static final class InMemoryReducer implements GradientReducer
    {
        static final class Group
        {
            final float[][] gradients;
            final long[] checksums;
            final CyclicBarrier barrier;

            Group(final int nodes)
            {
                gradients = new float[nodes][];
                checksums = new long[nodes];
                barrier = new CyclicBarrier(nodes);
            }
        }

        private final Group group;
        private final int rank;

        InMemoryReducer(final Group group, final int rank)
        {
            this.group = group;
            this.rank = rank;
        }

        @Override
        public void allReduce(final INDArray gradientSum, final long step)
        {
            group.gradients[rank] = gradientSum.toFloatVector();
            await();
            final float[] total = group.gradients[0].clone();
            for (int n = 1; n < group.gradients.length; n++)
            {
                for (int i = 0; i < total.length; i++)
                {
                    total[i] += group.gradients[n][i];
                }
            }
            await();
            gradientSum.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(total).reshape(gradientSum.shape()));
        }

        @Override
        public void verifyChecksum(final long step, final long checksum)
        {
            group.checksums[rank] = checksum;
            await();
            for (final long other : group.checksums)
            {
                if (other != checksum)
                {
                    throw new IllegalStateException("nodes diverged at step " + step);
                }
            }
            await();
        }

        private void await()
        {
            try
            {
                group.barrier.await(30, TimeUnit.SECONDS);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("node " + rank + " lost its peer", ex);
            }
        }
    }
}
