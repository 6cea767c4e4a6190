package io.tributary.trainer.launch;

import io.tributary.trainer.cli.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Stand-in node processes (sh scripts) and the process checks the launcher tests share. */
final class StandIns
{
    private StandIns()
    {
    }

    static ProcessBuilder script(final String shell)
    {
        return new ProcessBuilder("sh", "-c", shell);
    }

    static List<ProcessBuilder> scripts(final String... shells)
    {
        final List<ProcessBuilder> builders = new ArrayList<>();
        for (final String shell : shells)
        {
            builders.add(script(shell));
        }
        return builders;
    }

    /** Waits (at most {@code timeout}) for a pid a stand-in wrote into {@code file}. */
    static long awaitPid(final Path file, final Duration timeout) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            if (Files.exists(file))
            {
                final String text = Files.readString(file).strip();
                if (!text.isEmpty())
                {
                    return Long.parseLong(text);
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return fail("no pid in " + file + " after " + timeout);
    }

    /** Running, a zombie not counted (see {@link Processes#running}). */
    static boolean alive(final long pid)
    {
        return ProcessHandle.of(pid).map(Processes::running).orElse(false);
    }

    /** Running processes this test JVM started, directly or not. */
    static List<ProcessHandle> liveDescendants()
    {
        return ProcessHandle.current().descendants().filter(Processes::running).toList();
    }

    /** Kills what a test left (an orphan it made on purpose, or what a failed test left) and waits up to 5 s. */
    static void killAll(final List<Long> pids) throws InterruptedException
    {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pids.stream().anyMatch(StandIns::alive) && System.nanoTime() < deadline)
        {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
