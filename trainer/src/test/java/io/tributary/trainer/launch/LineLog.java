package io.tributary.trainer.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** Collects a process stream's lines on a daemon thread, each with the time it arrived. */
final class LineLog
{
    record Line(String text, long nanos)
    {
    }

    private final List<Line> lines = new ArrayList<>();

    private LineLog(final InputStream source, final String name)
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(source, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    add(line);
                }
            }
            catch (final IOException ex)
            {
                // The process is gone: the log is complete.
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    static LineLog of(final InputStream source, final String name)
    {
        return new LineLog(source, name);
    }

    private synchronized void add(final String line)
    {
        lines.add(new Line(line, System.nanoTime()));
        notifyAll();
    }

    /** The first line that matches, waiting at most {@code timeout} for it. */
    synchronized Line await(final Predicate<String> match, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            for (final Line line : lines)
            {
                if (match.test(line.text()))
                {
                    return line;
                }
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return fail("no matching line within " + timeout + "; got:\n" + text());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized String text()
    {
        final StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line.text()).append('\n'));
        return text.toString();
    }

    synchronized List<String> texts()
    {
        return lines.stream().map(Line::text).toList();
    }
}
