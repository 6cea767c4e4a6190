package io.tributary.trainer.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies one child stream to a shared target, line by line, each line prefixed. A line goes out in one
 * {@link PrintStream#println(String)} call, which holds the target's lock, so lines of different children never
 * interleave inside a line.
 */
final class OutputPrefixer implements Runnable
{
    private final InputStream source;
    private final PrintStream target;
    private final String prefix;

    OutputPrefixer(final InputStream source, final PrintStream target, final String prefix)
    {
        this.source = source;
        this.target = target;
        this.prefix = prefix;
    }

    /** Starts a daemon thread copying {@code source}; it ends at the child's end of the stream. */
    static Thread start(final InputStream source, final PrintStream target, final String prefix, final String name)
    {
        final Thread thread = new Thread(new OutputPrefixer(source, target, prefix), name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run()
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(source, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                target.println(prefix + line);
            }
        }
        catch (final IOException ex)
        {
            // The pipe was closed under us (the launcher is stopping): nothing more to copy.
        }
        target.flush();
    }
}
