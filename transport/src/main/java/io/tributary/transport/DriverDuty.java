package io.tributary.transport;

import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an embedded driver in {@code ThreadingMode.INVOKER}: while a collective runs, the collective's own
 * thread does the driver's duty cycle between polls, so a frame goes from the application to the socket and
 * from the socket to the image without waking another thread; at all other times a background thread keeps
 * the driver alive (heartbeats, status messages, client commands). Ownership passes with a CAS, so the hot
 * path neither locks nor allocates. {@link #NONE} stands for a driver that runs its own threads.
 */
class DriverDuty implements AutoCloseable
{
    static final DriverDuty NONE = new DriverDuty();

    private final AgentInvoker invoker;
    private final AtomicBoolean owned = new AtomicBoolean();
    private final Thread background;
    private volatile boolean running = true;

    private DriverDuty()
    {
        this.invoker = null;
        this.background = null;
    }

    DriverDuty(final AgentInvoker invoker, final IdleStrategy idle, final String name)
    {
        this.invoker = invoker;
        this.background = new Thread(() -> runInBackground(idle), name);
        this.background.setDaemon(true);
        this.background.start();
    }

    private void runInBackground(final IdleStrategy idle)
    {
        while (running)
        {
            int work = 0;
            if (owned.compareAndSet(false, true))
            {
                try
                {
                    work = invoker.invoke();
                }
                finally
                {
                    owned.set(false);
                }
            }
            idle.idle(work);
        }
    }

    /** Takes the duty cycle from the background thread; it holds it for one invoke at most. */
    void acquire()
    {
        if (invoker != null)
        {
            while (!owned.compareAndSet(false, true))
            {
                Thread.onSpinWait();
            }
        }
    }

    /** One duty cycle; only between {@link #acquire()} and {@link #release()}. */
    int invoke()
    {
        return invoker == null ? 0 : invoker.invoke();
    }

    void release()
    {
        if (invoker != null)
        {
            owned.set(false);
        }
    }

    /** Stops the background thread; the driver itself is closed by its owner. */
    public void close()
    {
        if (background != null)
        {
            running = false;
            try
            {
                background.join(5000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
