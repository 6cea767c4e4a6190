package io.tributary.transport;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.exceptions.RegistrationException;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * One rank of a job: an embedded media driver (unless told to use a running one), an Aeron client, the
 * membership agreed with rank 0, and the {@link Collective} over the ring. Closing it, or SIGTERM, closes
 * all of these in order and deletes the driver directory and those left by dead processes of the job.
 *
 * <pre>{@code
 * try (Transport transport = Transport.connect(new TransportContext()
 *     .jobId("mnist").token(secret).rank(rank).worldSize(4).rendezvousEndpoint("10.0.0.1:40123")))
 * {
 *     transport.collective().allReduce(gradient);
 * }
 * }</pre>
 */
public final class Transport implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(Transport.class.getName());

    private final TransportContext ctx;
    private Thread shutdownHook;
    private volatile EmbeddedDriver driver;
    private volatile DriverDuty driverDuty = DriverDuty.NONE;
    private volatile Aeron aeron;
    private volatile Membership membership;
    private volatile Collective collective;
    private volatile Membership monitored;
    private boolean closed;

    /**
     * The shutdown hook is registered before the driver starts, so SIGTERM during the rendezvous (which may
     * block for the whole rendezvous timeout) still deletes the driver directory. Starting the driver and
     * client holds the lock close() takes, so the hook never sees a driver half started.
     */
    private Transport(final TransportContext ctx)
    {
        this.ctx = ctx;
        this.shutdownHook = ctx.closeOnShutdown() ? new Thread(this::close, "tributary-transport-shutdown") : null;
        if (shutdownHook != null)
        {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        try
        {
            final Aeron client = start();
            final Membership established = Membership.establish(ctx, client);
            synchronized (this)
            {
                membership = established;
                if (closed)
                {
                    established.close();
                    throw new TransportException(prefix() + "closed while joining");
                }
                monitored = established;
                collective = new Collective(ctx, established, driverDuty, new CollectiveMetrics());
            }
        }
        catch (final RegistrationException ex)
        {
            close();
            throw new TransportException(prefix() + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private synchronized Aeron start()
    {
        if (closed)
        {
            throw new TransportException(prefix() + "closed while starting");
        }
        driver = ctx.launchDriver() ? EmbeddedDriver.launch(ctx) : null;
        if (driver != null && driver.invoker() != null)
        {
            driverDuty = new DriverDuty(driver.invoker(), new BackoffIdleStrategy(10, 20, 1000, 100_000),
                "tributary-driver-" + ctx.jobId() + "-r" + ctx.rank());
        }
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(ctx.driverDirectory())
            .driverTimeoutMs(ctx.driverTimeoutMs())
            .unavailableImageHandler(this::onUnavailableImage));
        return aeron;
    }

    private String prefix()
    {
        return "job " + ctx.jobId() + " rank " + ctx.rank() + ": ";
    }

    /**
     * Starts this rank and blocks until every rank has joined and connected, or the rendezvous deadline.
     *
     * @throws IllegalArgumentException for a bad setting
     * @throws TransportException when the job cannot be formed; the message names the missing ranks
     */
    public static Transport connect(final TransportContext ctx)
    {
        return new Transport(ctx.conclude());
    }

    private void onUnavailableImage(final Image image)
    {
        final Membership m = monitored;
        if (m != null)
        {
            m.onUnavailableImage(image);
        }
    }

    public Collective collective()
    {
        return collective;
    }

    /** For tests in this package, which write frames into the real data publication to the next rank. */
    Membership membership()
    {
        return membership;
    }

    /**
     * Removes this transport's shutdown hook: from now on its owner closes it, from a hook of its own that
     * closes several transports in the order they need (see {@link TransportContext#closeOnShutdown(boolean)}).
     */
    public synchronized void disownShutdown()
    {
        if (shutdownHook != null && !closed)
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            shutdownHook = null;
        }
    }

    /**
     * Throws {@link PeerLostException} naming a peer whose process died or whose link was cut, even while no
     * collective runs: the Aeron client notices the lost image in the background (within the image liveness
     * timeout), and this reads what it recorded. Cheap and allocation-free while all peers live; any thread may
     * call it, so long local work (evaluation, a checkpoint) can stop early instead of at the next collective.
     */
    public void checkPeers()
    {
        final Membership m = membership;
        if (m != null)
        {
            m.throwIfLost();
        }
    }

    public int rank()
    {
        return ctx.rank();
    }

    public int worldSize()
    {
        return ctx.worldSize();
    }

    /** Where a rank receives (host:port, or "ipc"). */
    public String endpoint(final int rank)
    {
        return membership.endpoint(rank);
    }

    public String nodeId(final int rank)
    {
        return membership.nodeId(rank);
    }

    /** Joins rank 0 refused (wrong job, token, rank or MTU); counted on rank 0 only. */
    public int refusedJoins()
    {
        return membership.refusedJoins();
    }

    public String driverDirectory()
    {
        return ctx.driverDirectory();
    }

    /**
     * Closes everything in order. May be called from another thread (or the SIGTERM hook) while a collective
     * runs: that collective throws {@link TransportException} first, and close waits up to 2 s for it to leave.
     * If it has not left by then (its thread descheduled), the client and driver are left open rather than
     * unmapped under it, and a warning is logged.
     */
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        monitored = null;
        if (collective != null && !collective.close())
        {
            // Unmapping the log buffers under a thread that may still write into them could crash the JVM.
            LOG.log(System.Logger.Level.WARNING, prefix() + "a collective still runs 2 s after close; leaving the " +
                "Aeron client and driver open (the next process of this job deletes the driver directory)");
        }
        else
        {
            CloseHelper.closeAll(membership, aeron, driverDuty, driver);
            DriverDirectories.deleteStale(ctx.driverBaseDirectory(), ctx.jobId());
        }
        try
        {
            if (shutdownHook != null)
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        }
        catch (final IllegalStateException ignore)
        {
            // already shutting down: this is the hook
        }
    }
}
