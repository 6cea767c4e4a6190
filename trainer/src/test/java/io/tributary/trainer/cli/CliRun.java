package io.tributary.trainer.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One in-process run of the real CLI entry with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err)
{
    /** A synthetic run small enough to train in about a second: 64 examples, MLP [8], 2 devices. */
    static final String SMALL_CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [8]",
        "data:", "  type: synthetic", "  size: 64", "  test_size: 16", "  features: 4", "  classes: 2",
        "cluster:", "  devices: 2",
        "run:", "  epochs: 1", "  batch_size: 16", "");

    /** {@code train CONFIG --out OUT [extra...]}. */
    static CliRun train(final Path config, final Path out, final String... extra)
    {
        final String[] args = new String[extra.length + 4];
        args[0] = "train";
        args[1] = config.toString();
        args[2] = "--out";
        args[3] = out.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return of(args);
    }
    static CliRun of(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            code = Main.run(args, o, e);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Stderr as its lines, trailing blank ones dropped. */
    String[] errLines()
    {
        return err.strip().split("\n");
    }

    /** Bad input: exit code 2, one stderr line starting "tributary: " + {@code start} and holding {@code contains}. */
    void assertUserError(final String start, final String contains)
    {
        assertUserError(exitCode, err, "tributary: " + start, contains);
    }

    /** The same check for a run whose exit code and stderr were captured elsewhere (a child JVM). */
    static void assertUserError(final int exitCode, final String err, final String lineStart, final String contains)
    {
        assertEquals(2, exitCode, err);
        final String[] lines = err.strip().split("\n");
        assertEquals(1, lines.length, "expected exactly one stderr line, got:\n" + err);
        assertFalse(err.contains("Exception"), err);
        assertTrue(lines[0].startsWith(lineStart), "stderr line:\n" + lines[0] + "\ndoes not start with:\n" + lineStart);
        assertTrue(lines[0].contains(contains), "stderr line:\n" + lines[0] + "\ndoes not contain:\n" + contains);
    }
}
