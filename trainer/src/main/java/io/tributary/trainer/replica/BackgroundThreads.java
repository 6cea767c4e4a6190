package io.tributary.trainer.replica;

import java.util.concurrent.locks.LockSupport;

/**
 * The life of a node's background thread (overlap's comm lanes, ssp's reduce, async's exchange): a daemon, so a
 * failed run never waits for it at exit; stopped by its loop seeing a flag the owner set, then unparked and joined.
 */
public final class BackgroundThreads
{
    private static final long JOIN_MS = 5_000;

    private BackgroundThreads()
    {
    }

    /** Starts {@code loop} on a daemon thread named {@code name}. */
    public static Thread start(final Runnable loop, final String name)
    {
        final Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Wakes {@code thread}, whose owner already told its loop to end, and waits for it at most 5 s. */
    public static void stop(final Thread thread)
    {
        LockSupport.unpark(thread);
        try
        {
            thread.join(JOIN_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
