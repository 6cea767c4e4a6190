package io.tributary.transport;

/**
 * The settings of a {@link TransportContext} that derive from others when left unset, filled in by
 * {@link TransportContext#conclude()}: the MTU from the data address's interface ({@link PathMtu}) before the
 * checks, and after them the driver directory from the job and rank, and the idle strategies.
 */
final class ContextDefaults
{
    private ContextDefaults()
    {
    }

    /** What the checks need: the MTU. */
    static void beforeChecks(final TransportContext ctx)
    {
        if (ctx.mtu() == TransportContext.AUTO_MTU)
        {
            ctx.mtu(PathMtu.forHost(ctx.dataHost()));
        }
    }

    /** What depends on checked settings: the driver directory and the idle strategies. */
    static void afterChecks(final TransportContext ctx)
    {
        if (ctx.driverDirectory() == null)
        {
            ctx.driverDirectory(DriverDirectories.ownDirectory(ctx.driverBaseDirectory(), ctx.jobId(), ctx.rank()));
        }
        if (ctx.idleStrategy() == null)
        {
            ctx.idleStrategy(TransportDefaults.idleStrategy());
        }
        if (ctx.driverIdleStrategy() == null)
        {
            ctx.driverIdleStrategy(TransportDefaults.driverIdleStrategy());
        }
    }
}
