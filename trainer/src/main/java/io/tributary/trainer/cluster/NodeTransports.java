package io.tributary.trainer.cluster;

import io.tributary.trainer.config.ClusterConfig;
import io.tributary.transport.Collective;
import io.tributary.transport.CollectiveMetrics;
import io.tributary.transport.Transport;
import io.tributary.transport.TransportContext;
import io.tributary.transport.TransportException;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * This node's rings: one for the {@code leader} scheme, one per local device for {@code sharded}. Ring d meets
 * at {@code masterHost:masterPort + d}. The rings of a process share ONE embedded media driver (ring 0
 * launches it, the others connect to its directory): one driver thread and one set of log buffers per
 * process instead of {@code devices}, and one driver directory named after (job, rank, pid) as the
 * launcher's cleanup expects. Rings are formed one after another in ring order on every node.
 * Closing closes rings d > 0 first, then ring 0 and with it the driver; so does SIGTERM, through one hook of
 * this class (the JVM runs hooks concurrently, so one hook per ring could close the driver under a ring).
 */
public final class NodeTransports implements AutoCloseable
{
    private final Transport[] rings;
    private Thread shutdownHook;

    private NodeTransports(final Transport[] rings)
    {
        this.rings = rings;
    }

    /**
     * Rings d > 0 were opened without hooks; ring 0 kept its own until every ring formed, so SIGTERM during a
     * rendezvous still deletes the driver directory. From here one hook closes them all in order. Ring 0's hook
     * goes first, so the two never run together. Once the JVM is shutting down it refuses both changes: then
     * the rings close here, in order, and the open fails.
     */
    private NodeTransports orderShutdown(final World world)
    {
        if (rings.length > 1)
        {
            try
            {
                rings[0].disownShutdown();
                final Thread hook = new Thread(this::close, "tributary-rings-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                shutdownHook = hook;
            }
            catch (final IllegalStateException ex)
            {
                close();
                throw new TransportException("job " + world.jobId() + " rank " + world.rank() +
                    ": shutting down (a signal arrived as the rings formed)", ex);
            }
        }
        return this;
    }

    /**
     * Joins the job: blocks until every node has formed every ring, or the rendezvous deadline
     * ({@code cluster.timeout_s}); everything opened is closed again when a ring fails to form.
     */
    public static NodeTransports open(final World world, final ClusterConfig cluster)
    {
        final int count = cluster.rings();
        final String[] masterSource = WorldResolver.masterSource(System.getenv());
        if (world.masterPort() + count - 1 > 65535)
        {
            // WorldResolver refuses such a port with one line naming the key; only a hand-made World gets here.
            throw new IllegalArgumentException("ports " + world.masterPort() + ".." + (world.masterPort() + count - 1) +
                " above 65535");
        }
        final String dataHost = DataHost.resolve(world.masterHost(), world.masterPort(), masterSource);
        final String nodeId = DataHost.nodeId();
        final long timeoutNs = TimeUnit.SECONDS.toNanos(cluster.timeoutSeconds());
        final Transport[] rings = new Transport[count];
        try
        {
            for (int d = 0; d < count; d++)
            {
                final TransportContext ctx = new TransportContext()
                    .jobId(world.jobId())
                    .token(world.token())
                    .rank(world.rank())
                    .worldSize(world.nodes())
                    .nodeId(nodeId)
                    .rendezvousEndpoint(world.masterHost() + ":" + (world.masterPort() + d))
                    .dataHost(dataHost)
                    .rendezvousTimeoutNs(timeoutNs)
                    .collectiveTimeoutNs(timeoutNs)
                    .mtu(cluster.mtu());
                if (d > 0)
                {
                    ctx.launchDriver(false).driverDirectory(rings[0].driverDirectory()).closeOnShutdown(false);
                }
                rings[d] = Transport.connect(ctx);
            }
            return new NodeTransports(rings).orderShutdown(world);
        }
        catch (final Throwable ex)
        {
            new NodeTransports(rings).close();
            throw ex;
        }
    }

    public int rings()
    {
        return rings.length;
    }

    public Collective ring(final int d)
    {
        return rings[d].collective();
    }

    /** Ring 0: checksums, reports and timelines go over it. */
    public Collective control()
    {
        return ring(0);
    }

    /**
     * Throws {@link io.tributary.transport.PeerLostException} naming a peer that any ring lost, even while no
     * collective runs; cheap and allocation-free while every peer lives.
     */
    public void checkPeers()
    {
        for (final Transport ring : rings)
        {
            ring.checkPeers();
        }
    }

    /** The machine a node runs on, as it reported itself at the rendezvous. */
    public String nodeId(final int rank)
    {
        return rings[0].nodeId(rank);
    }

    /** Bytes of data frames sent by every ring, headers included; read after training. */
    public long bytesSent()
    {
        long bytes = 0;
        for (final Transport ring : rings)
        {
            bytes += ring.collective().metrics().bytesSent();
        }
        return bytes;
    }

    public long bytesReceived()
    {
        long bytes = 0;
        for (final Transport ring : rings)
        {
            bytes += ring.collective().metrics().bytesReceived();
        }
        return bytes;
    }

    /** Every ring's allreduce latencies in one histogram (microseconds); a copy, read after training. */
    public Histogram allReduceLatencyUs()
    {
        final Histogram all = rings[0].collective().metrics().latencyUs(CollectiveMetrics.Operation.ALL_REDUCE).copy();
        for (int d = 1; d < rings.length; d++)
        {
            all.add(rings[d].collective().metrics().latencyUs(CollectiveMetrics.Operation.ALL_REDUCE));
        }
        return all;
    }

    @Override
    public synchronized void close()
    {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook)
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException ignore)
            {
                // shutting down: the hook closes, or has closed, the rings
            }
        }
        for (int d = rings.length - 1; d >= 0; d--)
        {
            if (rings[d] != null)
            {
                rings[d].close();
            }
        }
    }
}
