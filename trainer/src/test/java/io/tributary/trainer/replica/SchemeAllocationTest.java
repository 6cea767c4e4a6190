package io.tributary.trainer.replica;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.trainer.config.OptimizerConfig;
import io.tributary.trainer.data.EpochShuffle;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.SyntheticSource;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.model.BuiltinModels;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.replica.kernels.HostKernelsSum;
import io.tributary.trainer.replica.sync.LeaderScheme;
import io.tributary.trainer.replica.sync.LocalGradientReducer;
import io.tributary.trainer.replica.sync.NodeChecksums;
import io.tributary.trainer.replica.sync.ShardReducer;
import io.tributary.trainer.replica.sync.ShardedScheme;
import io.tributary.trainer.replica.sync.SyncScheme;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A scheme's reduce, with its phase histograms and timeline recording, allocates nothing once warm. One
 * replica, so the replica-threads hand-off (whose Phaser may allocate a wait node when it blocks) never waits
 * and only the scheme's own work is measured; the timeline records every measured step.
 */
class SchemeAllocationTest
{
    private static final int STEPS = 200;

    @Test
    void leaderReduceAllocatesNothing()
    {
        assertNoAllocation(false);
    }

    @Test
    void shardedReduceAllocatesNothing()
    {
        assertNoAllocation(true);
    }

    private static void assertNoAllocation(final boolean sharded)
    {
        final ExampleSet data = new SyntheticSource(20, 1, 6, 3, 2).load().train();
        final OptimizerConfig sgd = new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.1, 0, 0.9);
        final DeviceReplica replica = new DeviceReplica(0,
            ModelFactory.init(BuiltinModels.mlp(6, 3, List.of(4), "relu", sgd, 1)), 20, 6, 3);
        final DeviceReplica[] replicas = { replica };
        final StepPhases phases = new StepPhases(0, 1, 2 * STEPS);
        try (ReplicaThreads threads = new ReplicaThreads(1, 10_000);
            HostKernelsSum sum = new HostKernelsSum(new CpuGradientKernels());
            SyncScheme scheme = sharded ?
                new ShardedScheme(replicas, threads, new ShardReducer[]{ ShardReducer.NONE }, NodeChecksums.NONE,
                    phases, replica.model().numParams()) :
                new LeaderScheme(replicas, threads, sum, new LocalGradientReducer(), phases))
        {
            replica.computeSlice(data, EpochShuffle.order(data.size(), 1, 0), 0, 10);
            for (int s = 0; s < STEPS; s++)
            {
                scheme.reduce(s);
            }
            final com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long before = bean.getCurrentThreadAllocatedBytes();
            for (int s = STEPS; s < 2 * STEPS; s++)
            {
                scheme.reduce(s);
            }
            final long allocated = bean.getCurrentThreadAllocatedBytes() - before;
            assertEquals(0, allocated, "bytes allocated by " + STEPS + " reduce calls");
            assertEquals(2 * STEPS * 2, phases.timeline().events(), "an intra and an inter event per step");
        }
    }
}
