package io.tributary.trainer.cluster;

import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;
import io.tributary.trainer.data.TrainTest;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * N nodes of one job in this JVM, one thread each, over real Transports on UDP loopback: a unique job id per
 * run and free rendezvous ports, so parallel test runs of other builds do not collide. Every Trainer is
 * closed by its own thread; a node that does not finish in time is interrupted.
 */
final class InProcessJob
{
    private static final AtomicLong JOBS = new AtomicLong();
    private static final long NODE_TIMEOUT_S = 60;

    private InProcessJob()
    {
    }

    /** A synthetic-data config whose cluster section is {@code nodes} x {@code devices} with this scheme. */
    static TrainConfig config(final String yamlWithoutCluster, final int nodes, final int devices, final String scheme)
    {
        final String yaml = yamlWithoutCluster + String.join("\n", "cluster:", "  nodes: " + nodes,
            "  devices: " + devices, "  scheme: " + scheme, "  timeout_s: 20", "");
        return ConfigLoader.parse("job.yaml", yaml, List.of());
    }

    static TrainTest data(final TrainConfig config)
    {
        return DataSource.of(config.data()).load();
    }

    /**
     * Runs {@code work} on a Trainer per node, all at once.
     *
     * @return each node's result, in rank order
     */
    static <T> List<T> run(final TrainConfig config, final TrainTest data, final Function<Trainer, T> work)
        throws Exception
    {
        final int nodes = config.cluster().nodes();
        final int port = freePorts(Math.max(1, config.cluster().devices()));
        final String job = "it" + ProcessHandle.current().pid() + "-" + JOBS.incrementAndGet();
        final ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try
        {
            final List<Future<T>> futures = new ArrayList<>();
            for (int rank = 0; rank < nodes; rank++)
            {
                final World world = new World(rank, nodes, 0, "127.0.0.1", port, job, "secret-" + job);
                futures.add(pool.submit(() ->
                {
                    try (Trainer trainer = new Trainer(config, data, world))
                    {
                        return work.apply(trainer);
                    }
                }));
            }
            final List<T> results = new ArrayList<>();
            for (final Future<T> future : futures)
            {
                results.add(future.get(NODE_TIMEOUT_S, TimeUnit.SECONDS));
            }
            return results;
        }
        finally
        {
            pool.shutdownNow();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("node threads did not stop");
            }
        }
    }

    /** Trains every node; asserts all end bit-identical and returns node 0's parameters. */
    static float[] trainIdentical(final TrainConfig config, final TrainTest data) throws Exception
    {
        final List<float[]> params = run(config, data,
            trainer -> trainer.train(TrainingListener.NONE).model().params().toFloatVector());
        for (int node = 1; node < params.size(); node++)
        {
            assertArrayEquals(params.get(0), params.get(node), "node " + node + " differs from node 0");
        }
        return params.get(0);
    }

    /** A UDP port p such that p .. p + count - 1 are free on loopback right now. */
    static int freePorts(final int count) throws IOException
    {
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final List<DatagramSocket> held = new ArrayList<>();
            try
            {
                final DatagramSocket first = new DatagramSocket(0, loopback);
                held.add(first);
                final int port = first.getLocalPort();
                if (port + count - 1 > 65535)
                {
                    continue;
                }
                for (int i = 1; i < count; i++)
                {
                    held.add(new DatagramSocket(port + i, loopback));
                }
                return port;
            }
            catch (final SocketException taken)
            {
                // one of the following ports is in use: try another first port
            }
            finally
            {
                for (final DatagramSocket socket : held)
                {
                    socket.close();
                }
            }
        }
        throw new IOException("no " + count + " consecutive free UDP ports found");
    }
}
