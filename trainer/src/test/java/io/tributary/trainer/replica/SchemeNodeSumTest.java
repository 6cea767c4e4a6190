package io.tributary.trainer.replica;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.trainer.config.OptimizerConfig;
import io.tributary.trainer.data.BatchSplit;
import io.tributary.trainer.data.EpochShuffle;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.SyntheticSource;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.model.BuiltinModels;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.kernels.HostKernelsSum;
import io.tributary.trainer.replica.sync.LeaderScheme;
import io.tributary.trainer.replica.sync.LocalGradientReducer;
import io.tributary.trainer.replica.sync.NodeChecksums;
import io.tributary.trainer.replica.sync.ShardReducer;
import io.tributary.trainer.replica.sync.ShardedScheme;
import io.tributary.trainer.replica.sync.SyncScheme;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The leader and sharded schemes leave bit-identical node sums in every replica: both add the non-empty
 * replicas' gradients left to right in replica order, which is what float addition in Java computes for
 * {@code g0 + g1 + g2} element by element. A batch of 2 over 3 replicas leaves replica 2 empty: it still
 * sums its shard (of the other two gradients), and its own stale gradient is left out.
 */
class SchemeNodeSumTest
{
    private static final int REPLICAS = 3;
    private static final int FEATURES = 7;

    @Test
    void leaderAndShardedNodeSumsAreBitIdentical()
    {
        assertSchemesAgree(11);
    }

    @Test
    void anEmptyReplicaStillOwnsItsShard()
    {
        assertSchemesAgree(2);
    }

    private static void assertSchemesAgree(final int batch)
    {
        final ExampleSet data = new SyntheticSource(40, 1, FEATURES, 3, 9).load().train();
        final OptimizerConfig sgd = new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.1, 0, 0.9);
        final TrainableModel initial = ModelFactory.init(BuiltinModels.mlp(FEATURES, 3, List.of(5), "relu", sgd, 1));
        final DeviceReplica[] replicas = new DeviceReplica[REPLICAS];
        for (int i = 0; i < REPLICAS; i++)
        {
            replicas[i] = new DeviceReplica(i, i == 0 ? initial : initial.copy(), 40, FEATURES, 3);
        }
        final int[] order = EpochShuffle.order(data.size(), 1, 0);
        try (ReplicaThreads threads = new ReplicaThreads(REPLICAS, 30_000);
            HostKernelsSum sum = new HostKernelsSum(new CpuGradientKernels()))
        {
            // A first full step gives every replica a gradient, so an empty replica's view holds stale values.
            computeSlices(replicas, threads, data, order, 20, 12);
            computeSlices(replicas, threads, data, order, 0, batch);
            final float[][] gradients = gradients(replicas);
            final float[] expected = new float[gradients[0].length];
            for (int p = 0; p < expected.length; p++)
            {
                float total = 0;
                boolean first = true;
                for (int i = 0; i < REPLICAS; i++)
                {
                    if (replicas[i].examples() > 0)
                    {
                        total = first ? gradients[i][p] : total + gradients[i][p];
                        first = false;
                    }
                }
                expected[p] = total;
            }
            assertEquals(batch < REPLICAS, replicas[REPLICAS - 1].examples() == 0);

            final StepPhases phases = new StepPhases(0, REPLICAS, 1);
            reduce(new LeaderScheme(replicas, threads, sum, new LocalGradientReducer(), phases));
            final float[][] leader = gradients(replicas);
            restore(replicas, gradients);
            final ShardReducer[] rings = new ShardReducer[REPLICAS];
            Arrays.fill(rings, ShardReducer.NONE);
            reduce(new ShardedScheme(replicas, threads, rings, NodeChecksums.NONE, phases, initial.numParams()));
            final float[][] sharded = gradients(replicas);
            for (int i = 0; i < REPLICAS; i++)
            {
                assertArrayEquals(expected, leader[i], "leader, replica " + i);
                assertArrayEquals(expected, sharded[i], "sharded, replica " + i);
            }
        }
    }

    private static void reduce(final SyncScheme scheme)
    {
        try (scheme)
        {
            scheme.reduce(0, 0);
        }
    }

    private static void computeSlices(final DeviceReplica[] replicas, final ReplicaThreads threads,
        final ExampleSet data, final int[] order, final int from, final int size)
    {
        threads.runOnAll(r -> replicas[r].computeSlice(data, order,
            from + BatchSplit.sliceStart(size, REPLICAS, r), BatchSplit.sliceSize(size, REPLICAS, r)));
    }

    private static float[][] gradients(final DeviceReplica[] replicas)
    {
        final float[][] copies = new float[replicas.length][];
        for (int i = 0; i < replicas.length; i++)
        {
            copies[i] = replicas[i].model().flatGradients().toFloatVector();
        }
        return copies;
    }

    private static void restore(final DeviceReplica[] replicas, final float[][] gradients)
    {
        for (int i = 0; i < replicas.length; i++)
        {
            final var view = replicas[i].model().flatGradients();
            view.assign(Nd4j.createFromArray(gradients[i]).reshape(view.shape()));
        }
    }
}
