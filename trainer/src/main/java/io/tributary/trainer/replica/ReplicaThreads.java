package io.tributary.trainer.replica;

import java.util.Arrays;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One thread per replica (its virtual device): replica 0 runs on the thread that calls {@link #runOnAll},
 * replicas 1..N-1 on long-lived worker threads. {@link #runOnAll} hands every replica the same task and
 * returns when all have finished. Running replica 0 on the caller saves a thread hand-off per phase (on a
 * loaded machine each wake-up can cost a scheduler slice) and makes one device exactly plain DL4J's loop.
 * Two phasers carry the start and done signals; every wait has a deadline. A hand-off allocates nothing when
 * no thread has to wait, but a thread that blocks in a Phaser's timed wait allocates the Phaser's wait node
 * (about 48 B): with more than one replica that is most hand-offs, so a step allocates a few dozen bytes per
 * hand-off and thread (SchemeAllocationTest bounds it; the work the replicas run allocates nothing once warm).
 * An idle worker's wait times out every {@value #IDLE_CHECK_MS} ms to look at {@code closed}, which allocates
 * a TimeoutException: between steps, and while the coordinator alone works for longer than that within a step
 * (the leader scheme's inter-node allreduce over a slow link or with a straggling node). Waits are kept timed
 * so that no thread can wait forever; {@link #close} also interrupts the workers.
 */
public final class ReplicaThreads implements AutoCloseable
{
    /** Work for one replica; runs on that replica's thread (the caller's for replica 0). */
    @FunctionalInterface
    public interface Task
    {
        void run(int replica);
    }

    private static final long IDLE_CHECK_MS = 500;
    private final Thread[] threads;
    /** Workers are daemons blocked only in an interruptible wait or in native code: do not hold close() for long. */
    private static final long CLOSE_JOIN_MS = 5_000;
    private final Throwable[] failures;
    private final Phaser start;
    private final Phaser done;
    private final long timeoutMs;
    private volatile Task task;
    private volatile boolean closed;

    public ReplicaThreads(final int replicas, final long timeoutMs)
    {
        this.threads = new Thread[replicas];
        this.failures = new Throwable[replicas];
        this.start = new Phaser(replicas);
        this.done = new Phaser(replicas);
        this.timeoutMs = timeoutMs;
        threads[0] = Thread.currentThread();
        for (int i = 1; i < replicas; i++)
        {
            final int replica = i;
            threads[i] = new Thread(() -> workLoop(replica), "tributary-device-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    public int size()
    {
        return threads.length;
    }

    /** Runs {@code work} on every replica thread at once; rethrows the first failure. */
    public void runOnAll(final Task work)
    {
        if (closed)
        {
            throw new IllegalStateException("replica threads are closed");
        }
        task = work;
        start.arrive();
        try
        {
            work.run(0);
        }
        catch (final Throwable t)
        {
            failures[0] = t;
        }
        try
        {
            done.awaitAdvanceInterruptibly(done.arrive(), timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("a replica did not finish its work within " + timeoutMs + " ms");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the replicas", ex);
        }
        int failed = -1;
        for (int i = 0; i < failures.length; i++)
        {
            if (failed < 0 && failures[i] != null)
            {
                failed = i;
            }
        }
        if (failed >= 0)
        {
            final Throwable failure = failures[failed];
            Arrays.fill(failures, null);
            throw new IllegalStateException("replica " + failed + " failed: " + failure, failure);
        }
    }

    private void workLoop(final int replica)
    {
        while (!closed)
        {
            final int phase = start.arrive();
            while (true)
            {
                try
                {
                    start.awaitAdvanceInterruptibly(phase, IDLE_CHECK_MS, TimeUnit.MILLISECONDS);
                    break;
                }
                catch (final TimeoutException ex)
                {
                    if (closed)
                    {
                        return;
                    }
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
            try
            {
                task.run(replica);
            }
            catch (final Throwable t)
            {
                failures[replica] = t;
            }
            done.arrive();
        }
    }

    @Override
    public void close()
    {
        closed = true;
        for (int i = 1; i < threads.length; i++)
        {
            threads[i].interrupt();
        }
        for (int i = 1; i < threads.length; i++)
        {
            final Thread thread = threads[i];
            try
            {
                thread.join(CLOSE_JOIN_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
