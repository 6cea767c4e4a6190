package io.tributary.trainer.launch;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A stdout/stderr pair that tests hand to a launcher and read back as lines. */
final class Captured
{
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    String out()
    {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    String err()
    {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    List<String> outLines()
    {
        return lines(out());
    }

    List<String> errLines()
    {
        return lines(err());
    }

    /** Lines that start with {@code start}. */
    static List<String> starting(final List<String> lines, final String start)
    {
        return lines.stream().filter(l -> l.startsWith(start)).toList();
    }

    private static List<String> lines(final String text)
    {
        return text.lines().toList();
    }
}
