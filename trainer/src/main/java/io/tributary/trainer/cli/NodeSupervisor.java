package io.tributary.trainer.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the node processes of one launch to their end. Each child's output is copied with a {@code [node i] }
 * prefix. The first node to fail (non-zero exit or a signal) is reported in one line; the others get a grace
 * period to notice the lost peer and stop by themselves, then SIGTERM, then SIGKILL. {@link #stop()} (the
 * launcher's shutdown hook) stops them all at once. Every wait is bounded, and {@code cleanup} runs once after
 * the last child is gone.
 */
public final class NodeSupervisor
{
    /** The exit code when the launcher was stopped before any node failed. */
    public static final int STOPPED = 130;

    private static final int WAKE_UP = -1;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long OUTPUT_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final List<ProcessBuilder> builders;
    private final PrintStream out;
    private final PrintStream err;
    private final long graceNanos;
    private final long termNanos;
    private final Runnable cleanup;
    private final List<NodeProcess> nodes = new ArrayList<>();
    /** Indices of nodes that exited, in the order they did; {@link #WAKE_UP} when {@link #stop()} was called. */
    private final BlockingQueue<Integer> exits = new LinkedBlockingQueue<>();
    private volatile boolean stopRequested;
    private boolean cleanedUp;

    /**
     * @param builders one per node, in rank order
     * @param grace    how long the others may run on after the first failure
     * @param termWait how long a node has between SIGTERM and SIGKILL
     * @param cleanup  runs once after every child is gone (e.g. removes what killed children left behind)
     */
    public NodeSupervisor(final List<ProcessBuilder> builders, final PrintStream out, final PrintStream err,
        final Duration grace, final Duration termWait, final Runnable cleanup)
    {
        this.builders = List.copyOf(builders);
        this.out = out;
        this.err = err;
        this.graceNanos = grace.toNanos();
        this.termNanos = termWait.toNanos();
        this.cleanup = cleanup;
    }

    /**
     * Starts every node and waits for the job to end.
     *
     * @return 0 when every node exited 0; else the exit code of the first node that failed ({@link #STOPPED}
     *         when {@link #stop()} ended the job first)
     * @throws IOException when a node cannot be started (the ones already started are stopped)
     */
    public int run() throws IOException
    {
        try
        {
            startAll();
            return superviseToEnd();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return STOPPED;
        }
        finally
        {
            stopAll();
        }
    }

    /** Stops every node (SIGTERM, then SIGKILL) and returns when they are gone or the waits ran out. */
    public void stop()
    {
        stopRequested = true;
        exits.add(WAKE_UP);
        stopAll();
    }

    /** The pids of the nodes started so far, in rank order. */
    public synchronized List<Long> pids()
    {
        return nodes.stream().map(NodeProcess::pid).toList();
    }

    private synchronized void startAll() throws IOException
    {
        for (int i = 0; i < builders.size() && !stopRequested; i++)
        {
            final NodeProcess node = NodeProcess.start(i, builders.get(i), out, err);
            nodes.add(node);
            final int index = i;
            node.process().onExit().thenRun(() -> exits.add(index));
            out.println("tributary launch: node " + i + " started (pid " + node.pid() + ")");
        }
    }

    private int superviseToEnd() throws InterruptedException
    {
        int running = nodes.size();
        NodeProcess failed = null;
        long failedAt = 0;
        long graceDeadline = 0;
        while (running > 0 && !stopRequested)
        {
            final long wait = failed == null ? POLL_NANOS : Math.min(POLL_NANOS, graceDeadline - System.nanoTime());
            if (failed != null && wait <= 0)
            {
                out.println("tributary launch: stopping the nodes still running " +
                    TimeUnit.NANOSECONDS.toSeconds(graceNanos) + " s after node " + failed.index() + " failed");
                break;
            }
            final Integer index = exits.poll(wait, TimeUnit.NANOSECONDS);
            if (index == null || index == WAKE_UP)
            {
                continue;
            }
            final NodeProcess node = nodes.get(index);
            running--;
            if (node.exitCode() != 0 && failed == null)
            {
                failed = node;
                failedAt = System.nanoTime();
                graceDeadline = failedAt + graceNanos;
                err.println("tributary launch: node " + node.index() + " failed first (" + describe(node.exitCode()) +
                    ")");
            }
            else if (failed != null)
            {
                // How the others ended, and how soon: a survivor should stop by itself well inside the grace.
                out.printf("tributary launch: node %d exited (%s) %.1f s after node %d failed%n", node.index(),
                    describe(node.exitCode()), (System.nanoTime() - failedAt) / 1e9, failed.index());
            }
        }
        if (failed != null)
        {
            return failed.exitCode();
        }
        return stopRequested ? STOPPED : 0;
    }

    /** "exit code 3", or "exit code 137, killed by signal 9" for a child a signal ended. */
    public static String describe(final int exitCode)
    {
        final int signal = exitCode - 128;
        return "exit code " + exitCode + (signal > 0 && signal < 64 ? ", killed by signal " + signal : "");
    }

    private synchronized void stopAll()
    {
        if (cleanedUp)
        {
            return;
        }
        // An interrupted launcher still waits (bounded) for its children, so that cleanup sees them gone.
        final boolean interrupted = Thread.interrupted();
        try
        {
            if (anyAlive())
            {
                nodes.forEach(NodeProcess::terminate);
                if (!awaitAllGone(System.nanoTime() + termNanos))
                {
                    nodes.forEach(NodeProcess::kill);
                    awaitAllGone(System.nanoTime() + termNanos);
                }
            }
            final long drainDeadline = System.nanoTime() + OUTPUT_DRAIN_NANOS;
            for (final NodeProcess node : nodes)
            {
                node.awaitOutput(drainDeadline);
            }
        }
        catch (final InterruptedException ex)
        {
            nodes.forEach(NodeProcess::kill);
            Thread.currentThread().interrupt();
        }
        finally
        {
            cleanedUp = true;
            cleanup.run();
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean anyAlive()
    {
        return nodes.stream().anyMatch(NodeProcess::anyAlive);
    }

    private boolean awaitAllGone(final long deadlineNanos) throws InterruptedException
    {
        while (anyAlive())
        {
            final long left = deadlineNanos - System.nanoTime();
            if (left <= 0)
            {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
        }
        return true;
    }
}
