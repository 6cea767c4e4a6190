package io.tributary.trainer.launch;

import io.tributary.trainer.cli.Main;
import io.tributary.transport.DriverDirectories;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 of one node of a launched job after its first checkpoint (node 1, or node 0, the rendezvous and the
 * writer of the checkpoint): the survivor names the lost node and the checkpoint within 15 s, the launcher
 * names the killed node first and fails, and nothing of the job is left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LaunchKillTest
{
    private static final Pattern JOB = Pattern.compile("tributary launch: 2 nodes, job (\\S+),.*");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "kill -9 node {0}")
    @ValueSource(ints = { 1, 0 })
    void aKilledNodeIsNamedByTheSurvivorAndTheLauncher(final int victimRank) throws Exception
    {
        final int survivor = 1 - victimRank;
        final Pattern started = Pattern.compile("tributary launch: node " + victimRank + " started \\(pid (\\d+)\\)");
        final Path config = SmallJob.write(dir, 50, 100_000, 1, "leader", "checkpoint_steps: 5");
        final Path run = dir.resolve("run");
        final Captured io = new Captured();
        final AtomicInteger code = new AtomicInteger(Integer.MIN_VALUE);
        final Thread launcher = new Thread(() -> code.set(Main.run(new String[] { "launch", "--nodes", "2",
            config.toString(), "--out", run.toString() }, io.out, io.err)), "launcher");
        launcher.start();
        try
        {
            final long victim = Long.parseLong(await(started, io, 30).group(1));
            final Path checkpoint = run.resolve("checkpoint.zip");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(checkpoint) && System.nanoTime() < deadline)
            {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertTrue(Files.exists(checkpoint), "no checkpoint within 60 s:\n" + io.out() + io.err());

            final long killed = System.nanoTime();
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            final String lostLine = "[node " + survivor + "] tributary: node " + victimRank + " lost at epoch ";
            while (io.errLines().stream().noneMatch(l -> l.startsWith(lostLine)) &&
                System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(30))
            {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            final long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            launcher.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(launcher.isAlive(), "the launcher did not end");

            final List<String> err = io.errLines();
            final List<String> lost = err.stream().filter(l -> l.startsWith(lostLine)).toList();
            assertEquals(1, lost.size(), io.err());
            assertTrue(lost.get(0).endsWith("; last good checkpoint: " + checkpoint), lost.get(0));
            assertTrue(noticedMs <= 15_000, "the survivor named the lost node " + noticedMs + " ms after the kill");
            assertEquals(List.of("tributary launch: node " + victimRank +
                " failed first (exit code 137, killed by signal 9)"),
                Captured.starting(err, "tributary launch:"));
            assertEquals(137, code.get());

            assertEquals(List.of(), StandIns.liveDescendants(), "node processes left");
            final File shm = new File("/dev/shm");
            final String base = shm.isDirectory() ? shm.getPath() : System.getProperty("java.io.tmpdir");
            final String job = await(JOB, io, 1).group(1);
            assertEquals(List.of(), DriverDirectories.list(base, job), "driver directories left");
        }
        finally
        {
            if (launcher.isAlive())
            {
                launcher.interrupt();
                launcher.join(TimeUnit.SECONDS.toMillis(20));
            }
            StandIns.killAll(StandIns.liveDescendants().stream().map(ProcessHandle::pid).toList());
        }
    }

    private static Matcher await(final Pattern line, final Captured io, final int seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline)
        {
            for (final String text : io.outLines())
            {
                final Matcher m = line.matcher(text);
                if (m.matches())
                {
                    return m;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return fail("no line " + line + " within " + seconds + " s:\n" + io.out() + io.err());
    }
}
