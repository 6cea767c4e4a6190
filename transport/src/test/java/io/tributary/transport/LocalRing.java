package io.tributary.transport;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Several ranks in this JVM, one thread each, each with its own Aeron client, all on one embedded driver
 * and UDP loopback (rank 0 on a random free port, the others on ports the OS picks).
 */
final class LocalRing implements AutoCloseable
{
    interface RankTask<T>
    {
        T run(Transport transport) throws Exception;
    }

    final String jobId;
    final EmbeddedDriver driver;
    final Transport[] transports;
    private final ExecutorService threads;

    private LocalRing(final String jobId, final EmbeddedDriver driver, final int worldSize)
    {
        this.jobId = jobId;
        this.driver = driver;
        this.transports = new Transport[worldSize];
        this.threads = Executors.newFixedThreadPool(worldSize);
    }

    static String newJobId(final String name)
    {
        return name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
    }

    static TransportContext testContext(final String jobId, final int rank, final int worldSize, final int port)
    {
        return new TransportContext()
            .jobId(jobId)
            .token("secret")
            .rank(rank)
            .worldSize(worldSize)
            .rendezvousEndpoint("127.0.0.1:" + port)
            .termLength(1024 * 1024)
            .rendezvousTimeoutNs(TimeUnit.SECONDS.toNanos(20))
            .collectiveTimeoutNs(TimeUnit.SECONDS.toNanos(20));
    }

    static LocalRing start(final int worldSize, final Consumer<TransportContext> customise) throws Exception
    {
        final String jobId = newJobId("ring" + worldSize);
        final int port = freeUdpPort();
        final EmbeddedDriver driver = EmbeddedDriver.launch(testContext(jobId, 0, 1, port).termLength(1024 * 1024));
        final LocalRing ring = new LocalRing(jobId, driver, worldSize);
        try
        {
            final List<Transport> connected = ring.onEveryRank(null, (rank, ignored) ->
            {
                final TransportContext ctx = testContext(jobId, rank, worldSize, port)
                    .launchDriver(false).driverDirectory(driver.directory());
                customise.accept(ctx);
                return Transport.connect(ctx);
            });
            connected.toArray(ring.transports);
            return ring;
        }
        catch (final Exception ex)
        {
            ring.close();
            throw ex;
        }
    }

    interface IndexedTask<T>
    {
        T run(int rank, Transport transport) throws Exception;
    }

    <T> List<T> onEveryRank(final RankTask<T> task) throws Exception
    {
        return onEveryRank(transports, (rank, transport) -> task.run(transport));
    }

    private <T> List<T> onEveryRank(final Transport[] given, final IndexedTask<T> task) throws Exception
    {
        final List<Future<T>> futures = new ArrayList<>();
        for (int r = 0; r < transports.length; r++)
        {
            final int rank = r;
            futures.add(threads.submit(() -> task.run(rank, given == null ? null : given[rank])));
        }
        final List<T> results = new ArrayList<>();
        Exception first = null;
        for (final Future<T> future : futures)
        {
            try
            {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            catch (final ExecutionException ex)
            {
                results.add(null);
                if (first == null)
                {
                    first = ex.getCause() instanceof Exception ? (Exception)ex.getCause() : ex;
                }
            }
        }
        if (first != null)
        {
            for (final T result : results)
            {
                if (result instanceof AutoCloseable)
                {
                    ((AutoCloseable)result).close();
                }
            }
            throw first;
        }
        return results;
    }

    static int freeUdpPort()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final int port = ThreadLocalRandom.current().nextInt(30000, 60000);
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port)))
            {
                return port;
            }
            catch (final Exception busy)
            {
                // try another
            }
        }
        throw new IllegalStateException("no free UDP port in [30000, 60000)");
    }

    public void close()
    {
        for (final Transport transport : transports)
        {
            if (transport != null)
            {
                transport.close();
            }
        }
        threads.shutdownNow();
        driver.close();
    }
}
