package io.tributary.trainer.replica;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.trainer.config.OptimizerConfig;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scheme's reduce, with its phase histograms and timeline recording, allocates nothing once warm, on the
 * coordinating thread and on every worker thread (ThreadMXBean per thread id). With one replica the hand-off
 * never waits, so the scheme's own work is measured exactly: zero. With two, the node sum, the shard sums
 * and the copy of the global sum run for real, and a thread that must wait in the replica threads' Phaser
 * allocates the Phaser's wait node (see ReplicaThreads), about 48 B; the bound is {@link #PHASER_WAIT_BYTES}
 * per hand-off and thread. Measured warm (2 replicas): leader 18 B/reduce on the coordinator and 37 B on the
 * worker, sharded 96 B on each; the INDArray.assign copy it replaced took about 500 B per step.
 */
class SchemeAllocationTest
{
    private static final int STEPS = 200;
    private static final int WARM = 2_000;
    /** Calls that get the Vector API kernels compiled by C2: interpreted, each FloatVector is an object. */
    private static final int KERNEL_WARM = 40_000;
    /** A Phaser wait node (one object of a few fields) with headroom; a blocked timed wait allocates one. */
    private static final long PHASER_WAIT_BYTES = 96;

    /**
     * The kernels' sum of two inputs at the scheme's lengths (43 floats whole, 22 and 21 per shard), until C2
     * has compiled it: before that the Vector API allocates about 20 B per float, which is JIT warm-up, not
     * the steady state this test is about.
     */
    private static void warmKernels()
    {
        try (CpuGradientKernels kernels = new CpuGradientKernels())
        {
            final ByteBuffer a = ByteBuffer.allocateDirect(43 * 4).order(ByteOrder.nativeOrder());
            final ByteBuffer b = ByteBuffer.allocateDirect(43 * 4).order(ByteOrder.nativeOrder());
            final ByteBuffer[] inputs = { a, b };
            for (int i = 0; i < KERNEL_WARM; i++)
            {
                kernels.sum(inputs, 2, a, 43 - i % 3 * 11);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} replica(s)")
    @CsvSource({ "leader, 1", "sharded, 1", "leader, 2", "sharded, 2" })
    void aWarmReduceAllocatesNothingButThePhasersWaits(final String kind, final int replicaCount)
    {
        final boolean sharded = "sharded".equals(kind);
        warmKernels();
        final ExampleSet data = new SyntheticSource(20, 1, 6, 3, 2).load().train();
        final OptimizerConfig sgd = new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.1, 0, 0.9);
        final TrainableModel initial = ModelFactory.init(BuiltinModels.mlp(6, 3, List.of(4), "relu", sgd, 1));
        final DeviceReplica[] replicas = new DeviceReplica[replicaCount];
        for (int r = 0; r < replicaCount; r++)
        {
            replicas[r] = new DeviceReplica(r, r == 0 ? initial : initial.copy(), 20, 6, 3);
        }
        final ShardReducer[] rings = new ShardReducer[replicaCount];
        Arrays.fill(rings, ShardReducer.NONE);
        final StepPhases phases = new StepPhases(0, replicaCount, WARM + STEPS);
        try (ReplicaThreads threads = new ReplicaThreads(replicaCount, 10_000);
            HostKernelsSum sum = new HostKernelsSum(new CpuGradientKernels());
            SyncScheme scheme = sharded ?
                new ShardedScheme(replicas, threads, rings, NodeChecksums.NONE, phases, initial.numParams()) :
                new LeaderScheme(replicas, threads, sum, new LocalGradientReducer(), phases))
        {
            final int[] order = EpochShuffle.order(data.size(), 1, 0);
            final long[] threadIds = new long[replicaCount];
            threads.runOnAll(r ->
            {
                threadIds[r] = Thread.currentThread().getId();
                replicas[r].computeSlice(data, order, r * 10 / replicaCount, 10 / replicaCount);
            });
            for (int s = 0; s < WARM; s++)
            {
                scheme.reduce(s, s);
            }
            final com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            // The array the bean returns is allocated on this thread: measure that once and take it off.
            final long[] probe = bean.getThreadAllocatedBytes(threadIds);
            final long ownCall = bean.getThreadAllocatedBytes(threadIds)[0] - probe[0];
            final long[] before = bean.getThreadAllocatedBytes(threadIds);
            for (int s = WARM; s < WARM + STEPS; s++)
            {
                scheme.reduce(s, s);
            }
            final long[] after = bean.getThreadAllocatedBytes(threadIds);
            // Hand-offs per reduce: the copy, plus the shard sums under sharded; one wait per thread each at most.
            final int handOffs = replicaCount == 1 ? 0 : sharded ? 2 : 1;
            for (int r = 0; r < replicaCount; r++)
            {
                final long allocated = after[r] - before[r] - (r == 0 ? ownCall : 0);
                assertTrue(allocated <= (long)STEPS * handOffs * PHASER_WAIT_BYTES, kind + " x" + replicaCount +
                    ": thread of replica " + r + " allocated " + allocated + " B in " + STEPS + " reduces");
            }
            // The timeline records every step, the measured ones included: the leader's intra and inter events
            // (replica 0), or every replica's under sharded, and the copies of replicas 1..R-1.
            final int perStep = (sharded ? 2 * replicaCount : 2) + replicaCount - 1;
            assertEquals((WARM + STEPS) * perStep, phases.timeline().events());
            assertArrayEquals(replicas[0].model().flatGradients().toFloatVector(),
                replicas[replicaCount - 1].model().flatGradients().toFloatVector(), "every replica holds the sum");
        }
    }
}
