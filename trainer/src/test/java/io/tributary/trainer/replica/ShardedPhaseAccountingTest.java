package io.tributary.trainer.replica;

import io.tributary.trainer.config.OptimizerConfig;
import io.tributary.trainer.data.EpochShuffle;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.SyntheticSource;
import io.tributary.trainer.metrics.Phase;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.metrics.StepStats;
import io.tributary.trainer.model.BuiltinModels;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.sync.NodeChecksums;
import io.tributary.trainer.replica.sync.ShardReducer;
import io.tributary.trainer.replica.sync.ShardedScheme;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under sharded the node waits for its slowest ring, so that wait is inter-node time: with ring 1 taking
 * 50 ms and ring 0 nothing, the inter phase is about 50 ms per reduce and intra + inter add up to the reduce.
 */
class ShardedPhaseAccountingTest
{
    private static final int STEPS = 6;
    private static final long SLOW_RING_MS = 50;

    @Test
    void interIsUntilTheLastRingFinished()
    {
        final ExampleSet data = new SyntheticSource(20, 1, 6, 3, 2).load().train();
        final TrainableModel model = ModelFactory.init(BuiltinModels.mlp(6, 3, List.of(4), "relu",
            new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.1, 0, 0.9), 1));
        final DeviceReplica[] replicas = { new DeviceReplica(0, model, 20, 6, 3),
            new DeviceReplica(1, model.copy(), 20, 6, 3) };
        final StepPhases phases = new StepPhases(0, 2, STEPS);
        final ShardReducer slow = (shard, count, globalStep) -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SLOW_RING_MS));
        try (ReplicaThreads threads = new ReplicaThreads(2, 10_000);
            ShardedScheme scheme = new ShardedScheme(replicas, threads, new ShardReducer[] { ShardReducer.NONE, slow },
                NodeChecksums.NONE, phases, model.numParams()))
        {
            final int[] order = EpochShuffle.order(data.size(), 1, 0);
            threads.runOnAll(r -> replicas[r].computeSlice(data, order, r * 10, 10));
            final long start = System.nanoTime();
            for (int s = 0; s < STEPS; s++)
            {
                scheme.reduce(s, s);
            }
            final double wallMs = (System.nanoTime() - start) / 1e6 / STEPS;
            final StepStats inter = phases.histograms().stats(Phase.INTER);
            final StepStats intra = phases.histograms().stats(Phase.INTRA);
            // parkNanos never returns early in practice; the histogram's 3 digits lose < 0.1 ms.
            assertTrue(inter.mean() >= SLOW_RING_MS - 1, "inter mean " + inter.mean() + " ms, the slow ring takes " +
                SLOW_RING_MS + " ms; intra " + intra.mean() + " ms, wall " + wallMs + " ms/reduce");
            assertTrue(intra.mean() + inter.mean() <= wallMs + 0.1, "intra " + intra.mean() + " + inter " +
                inter.mean() + " ms exceed the wall time per reduce, " + wallMs + " ms");
            assertTrue(intra.mean() + inter.mean() >= wallMs * 0.9, "intra " + intra.mean() + " + inter " +
                inter.mean() + " ms miss part of the wall time per reduce, " + wallMs + " ms");
        }
    }
}
