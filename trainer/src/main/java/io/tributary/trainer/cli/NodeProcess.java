package io.tributary.trainer.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One node process of a launch: the child, the two threads that copy its output with a {@code [node i] } prefix,
 * and the processes it started (remembered when it is asked to stop, since a child's children are no longer
 * its descendants once it is gone).
 */
final class NodeProcess
{
    private final int index;
    private final Process process;
    private final Thread stdoutCopier;
    private final Thread stderrCopier;
    private final Set<ProcessHandle> family = new LinkedHashSet<>();

    private NodeProcess(final int index, final Process process, final PrintStream out, final PrintStream err)
    {
        this.index = index;
        this.process = process;
        final String prefix = "[node " + index + "] ";
        stdoutCopier = OutputPrefixer.start(process.getInputStream(), out, prefix, "node-" + index + "-stdout");
        stderrCopier = OutputPrefixer.start(process.getErrorStream(), err, prefix, "node-" + index + "-stderr");
    }

    static NodeProcess start(final int index, final ProcessBuilder builder, final PrintStream out,
        final PrintStream err) throws IOException
    {
        return new NodeProcess(index, builder.start(), out, err);
    }

    int index()
    {
        return index;
    }

    long pid()
    {
        return process.pid();
    }

    Process process()
    {
        return process;
    }

    /** Exit code; a child killed by signal S reads 128 + S (as in a shell). */
    int exitCode()
    {
        return process.exitValue();
    }

    /** SIGTERM to the child and every process it started. */
    synchronized void terminate()
    {
        rememberFamily();
        family.forEach(ProcessHandle::destroy);
    }

    /** SIGKILL to the child and every process it started that is still alive. */
    synchronized void kill()
    {
        rememberFamily();
        family.forEach(ProcessHandle::destroyForcibly);
    }

    /** Whether the child or any process it started is still alive. */
    synchronized boolean anyAlive()
    {
        rememberFamily();
        return family.stream().anyMatch(Processes::running);
    }

    /** Waits until the output copiers have seen the end of both streams, at most until {@code deadlineNanos}. */
    void awaitOutput(final long deadlineNanos) throws InterruptedException
    {
        for (final Thread copier : List.of(stdoutCopier, stderrCopier))
        {
            final long left = deadlineNanos - System.nanoTime();
            if (left > 0)
            {
                copier.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    private void rememberFamily()
    {
        family.add(process.toHandle());
        if (process.isAlive())
        {
            process.descendants().forEach(family::add);
        }
    }
}
