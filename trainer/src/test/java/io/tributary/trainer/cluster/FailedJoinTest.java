package io.tributary.trainer.cluster;

import io.tributary.trainer.Trainer;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.TrainTest;
import io.tributary.transport.DriverDirectories;
import io.tributary.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node with the wrong token is refused, and the node waiting for it gives up at cluster.timeout_s. Both
 * constructors fail while joining, after their replica threads and node sums were made: everything they
 * opened must be closed again, no device thread and no driver directory of the job left behind.
 */
class FailedJoinTest
{
    @Test
    void aRefusedJoinLeavesNothingOpen() throws Exception
    {
        final TrainConfig config = ConfigLoader.parse("job.yaml", MultiNodeExactnessTest.MLP +
            "cluster:\n  nodes: 2\n  devices: 2\n  scheme: sharded\n  timeout_s: 2\n", List.of());
        final TrainTest data = InProcessJob.data(config);
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        final int port = InProcessJob.freePorts(2);
        final String job = "refused" + ProcessHandle.current().pid();
        final CompletableFuture<Throwable> node0 = CompletableFuture.supplyAsync(
            () -> construct(config, data, new World(0, 2, 0, "127.0.0.1", port, job, "right")));
        final CompletableFuture<Throwable> node1 = CompletableFuture.supplyAsync(
            () -> construct(config, data, new World(1, 2, 0, "127.0.0.1", port, job, "wrong")));
        final Throwable refused = node1.get(30, TimeUnit.SECONDS);
        final Throwable waited = node0.get(30, TimeUnit.SECONDS);

        assertTrue(refused instanceof TransportException, String.valueOf(refused));
        assertTrue(refused.getMessage().contains("token"), refused.getMessage());
        assertTrue(waited instanceof TransportException, String.valueOf(waited));
        assertTrue(waited.getMessage().contains("ranks [1] did not join"), waited.getMessage());
        assertEquals(List.of(), DriverDirectories.list("/dev/shm", job));
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            assertTrue(before.contains(thread) || !thread.getName().startsWith("tributary") || !thread.isAlive(),
                "left running: " + thread.getName());
        }
    }

    private static Throwable construct(final TrainConfig config, final TrainTest data, final World world)
    {
        try (Trainer ignored = new Trainer(config, data, world))
        {
            return null;
        }
        catch (final RuntimeException ex)
        {
            return ex;
        }
    }
}
