package io.tributary.trainer.replica;

import io.tributary.trainer.config.OptimizerConfig;
import io.tributary.trainer.model.BuiltinModels;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.sync.LocalGradientReducer;
import io.tributary.trainer.replica.sync.SyncStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaThreadsTest
{
    @Test
    void everyReplicaRunsEachTaskOnceOnItsOwnThreadReplicaZeroOnTheCaller()
    {
        final AtomicIntegerArray runs = new AtomicIntegerArray(3);
        final ConcurrentHashMap<Integer, String> threadNames = new ConcurrentHashMap<>();
        try (ReplicaThreads threads = new ReplicaThreads(3, 10_000))
        {
            for (int round = 0; round < 50; round++)
            {
                threads.runOnAll(r ->
                {
                    runs.incrementAndGet(r);
                    threadNames.merge(r, Thread.currentThread().getName(), (a, b) -> a.equals(b) ? a : "moved");
                });
            }
        }
        for (int r = 0; r < 3; r++)
        {
            assertEquals(50, runs.get(r));
            assertEquals(r == 0 ? Thread.currentThread().getName() : "tributary-device-" + r, threadNames.get(r));
        }
    }

    @Test
    void failuresOfSeveralReplicasAreReportedOnceNotCarriedIntoTheNextTask()
    {
        try (ReplicaThreads threads = new ReplicaThreads(3, 10_000))
        {
            final IllegalStateException failure = assertThrows(IllegalStateException.class, () -> threads.runOnAll(r ->
            {
                if (r > 0)
                {
                    throw new ArithmeticException("boom " + r);
                }
            }));
            assertTrue(failure.getMessage().startsWith("replica 1 failed"), failure.getMessage());
            final AtomicIntegerArray runs = new AtomicIntegerArray(3);
            threads.runOnAll(runs::incrementAndGet);
            for (int r = 0; r < 3; r++)
            {
                assertEquals(1, runs.get(r));
            }
        }
    }

    @Test
    void aFailureNamesTheReplicaAndTheNextTaskStillRuns()
    {
        try (ReplicaThreads threads = new ReplicaThreads(2, 10_000))
        {
            final IllegalStateException failure = assertThrows(IllegalStateException.class, () -> threads.runOnAll(r ->
            {
                if (r == 1)
                {
                    throw new ArithmeticException("boom");
                }
            }));
            assertTrue(failure.getMessage().startsWith("replica 1 failed: java.lang.ArithmeticException: boom"));
            final AtomicIntegerArray runs = new AtomicIntegerArray(2);
            threads.runOnAll(runs::incrementAndGet);
            assertEquals(1, runs.get(0));
            assertEquals(1, runs.get(1));
        }
    }

    @Test
    void aStuckReplicaTimesOut()
    {
        try (ReplicaThreads threads = new ReplicaThreads(2, 200))
        {
            final IllegalStateException failure = assertThrows(IllegalStateException.class, () -> threads.runOnAll(r ->
            {
                if (r == 1)
                {
                    sleep(2_000);
                }
            }));
            assertEquals("a replica did not finish its work within 200 ms", failure.getMessage());
        }
    }

    @Test
    void divergedReplicasAreDetected()
    {
        final OptimizerConfig sgd = new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.1, 0, 0.9);
        final TrainableModel model = ModelFactory.init(BuiltinModels.mlp(4, 2, List.of(3), "relu", sgd, 1));
        final DeviceReplica[] replicas = { new DeviceReplica(0, model, 4, 4, 2), new DeviceReplica(1, model.copy(), 4, 4, 2) };
        try (ReplicaThreads threads = new ReplicaThreads(2, 10_000))
        {
            final SyncStep sync = new SyncStep(replicas, threads, new LocalGradientReducer());
            final long agreed = sync.verifyReplicas();
            assertEquals(ParameterChecksum.of(model.params()), agreed);

            final float old = replicas[1].model().params().getFloat(5);
            replicas[1].model().params().putScalar(5, Math.nextUp(old));
            assertNotEquals(agreed, ParameterChecksum.of(replicas[1].model().params()), "one ulp changes the checksum");
            final ReplicaDivergenceException diverged = assertThrows(ReplicaDivergenceException.class, sync::verifyReplicas);
            assertTrue(diverged.getMessage().startsWith("replica parameters diverged after global step 0: replica 0 checksum"));
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
