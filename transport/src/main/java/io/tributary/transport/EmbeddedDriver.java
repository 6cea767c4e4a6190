package io.tributary.transport;

import io.aeron.driver.MediaDriver;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;

import java.nio.file.Path;

/**
 * A media driver inside this JVM, configured from a {@link TransportContext}, in its own directory which
 * is deleted on close. Before it starts, directories of dead processes of the same job are removed.
 * {@link Transport} launches one per process; tests and IPC benchmarks may launch one and let several
 * transports connect to it with {@code launchDriver(false)}.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(EmbeddedDriver.class.getName());

    private final MediaDriver driver;
    private final String directory;

    private EmbeddedDriver(final MediaDriver driver, final String directory)
    {
        this.driver = driver;
        this.directory = directory;
    }

    public static EmbeddedDriver launch(final TransportContext ctx)
    {
        ctx.conclude();
        for (final Path stale : DriverDirectories.deleteStale(ctx.driverBaseDirectory(), ctx.jobId()))
        {
            LOG.log(System.Logger.Level.INFO, "job " + ctx.jobId() + ": deleted stale driver directory " + stale);
        }
        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(ctx.driverDirectory())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false)
            .threadingMode(ctx.threadingMode())
            .sharedIdleStrategy(ctx.driverIdleStrategy())
            .mtuLength(ctx.mtu())
            .ipcMtuLength(ctx.mtu())
            .publicationTermBufferLength(ctx.termLength())
            .ipcTermBufferLength(ctx.termLength())
            .socketSndbufLength(ctx.socketBufferLength())
            .socketRcvbufLength(ctx.socketBufferLength())
            .initialWindowLength(ctx.receiverWindowLength())
            .clientLivenessTimeoutNs(ctx.clientLivenessTimeoutNs())
            .imageLivenessTimeoutNs(ctx.imageLivenessTimeoutNs())
            .publicationConnectionTimeoutNs(ctx.publicationConnectionTimeoutNs())
            .timerIntervalNs(ctx.timerIntervalNs())
            .errorHandler(ex -> LOG.log(System.Logger.Level.WARNING, "job " + ctx.jobId() + " driver: " + ex));
        driverCtx.driverTimeoutMs(ctx.driverTimeoutMs());
        return new EmbeddedDriver(MediaDriver.launch(driverCtx), ctx.driverDirectory());
    }

    /** The driver's duty cycle when it runs in ThreadingMode.INVOKER, else null. */
    AgentInvoker invoker()
    {
        final AgentInvoker invoker = driver.sharedAgentInvoker();
        if (invoker != null && !invoker.isStarted())
        {
            invoker.start();
        }
        return invoker;
    }

    public String directory()
    {
        return directory;
    }

    public void close()
    {
        CloseHelper.close(driver);
        DriverDirectories.deleteRecursively(Path.of(directory));
    }
}
