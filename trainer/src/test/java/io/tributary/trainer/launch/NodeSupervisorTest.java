package io.tributary.trainer.launch;

import io.tributary.trainer.cli.NodeSupervisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.tributary.trainer.launch.StandIns.alive;
import static io.tributary.trainer.launch.StandIns.awaitPid;
import static io.tributary.trainer.launch.StandIns.scripts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's supervision, proven on stand-in nodes (sh scripts) that print, fail, hang or ignore SIGTERM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeSupervisorTest
{
    private static final Duration LONG_GRACE = Duration.ofSeconds(30);
    private static final Duration TERM_WAIT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final Captured io = new Captured();
    private final AtomicInteger cleanups = new AtomicInteger();
    private final List<Long> pidsToReap = new ArrayList<>();

    @AfterEach
    void nothingLeftRunning() throws InterruptedException
    {
        final List<Long> grandchildren = List.copyOf(pidsToReap);
        StandIns.killAll(grandchildren);
        assertTrue(grandchildren.stream().noneMatch(StandIns::alive), "leftover stand-in processes " + grandchildren);
        assertEquals(List.of(), StandIns.liveDescendants(), "the supervisor left child processes");
    }

    private NodeSupervisor supervisor(final List<ProcessBuilder> nodes, final Duration grace)
    {
        return new NodeSupervisor(nodes, io.out, io.err, grace, TERM_WAIT, cleanups::incrementAndGet);
    }

    @Test
    void everyLineArrivesWholeWithItsNodePrefix() throws IOException
    {
        final int lines = 400;
        final String pad = "x".repeat(2000);
        final String loop = "i=0; while [ $i -lt " + lines + " ]; do printf '%s %04d " + pad + "\\n' NAME $i; " +
            "printf 'e%s %04d\\n' NAME $i >&2; i=$((i+1)); done";
        final int code = supervisor(scripts(loop.replace("NAME", "n0"), loop.replace("NAME", "n1")), LONG_GRACE).run();

        assertEquals(0, code, io.err());
        for (int node = 0; node < 2; node++)
        {
            final String prefix = "[node " + node + "] ";
            final List<String> out = Captured.starting(io.outLines(), prefix);
            final List<String> err = Captured.starting(io.errLines(), prefix);
            assertEquals(lines, out.size(), "stdout lines of node " + node);
            assertEquals(lines, err.size(), "stderr lines of node " + node);
            for (int i = 0; i < lines; i++)
            {
                assertEquals(prefix + String.format("n%d %04d %s", node, i, pad), out.get(i));
                assertEquals(prefix + String.format("en%d %04d", node, i), err.get(i));
            }
        }
        // Besides the nodes' own lines: one "started" line per node, nothing else.
        assertEquals(2 * lines + 2, io.outLines().size());
        assertEquals(2 * lines, io.errLines().size());
        assertEquals(1, cleanups.get());
    }

    @Test
    void allNodesExitingZeroIsSuccess() throws IOException
    {
        final int code = supervisor(scripts("exit 0", "sleep 0.2", "echo fine"), LONG_GRACE).run();

        assertEquals(0, code);
        assertEquals("", io.err());
        assertEquals(List.of("[node 2] fine"), Captured.starting(io.outLines(), "[node"));
    }

    @Test
    void theFirstFailureIsReportedOnceAndItsCodeReturned() throws IOException
    {
        final long start = System.nanoTime();
        final int code = supervisor(scripts("sleep 0.6; exit 4", "sleep 0.1; exit 5", "sleep 0.8"), LONG_GRACE).run();

        assertEquals(5, code);
        assertEquals(List.of("tributary launch: node 1 failed first (exit code 5)"), io.errLines());
        final List<String> exited = Captured.starting(io.outLines(), "tributary launch: node ").stream()
            .filter(l -> l.contains(" exited ")).map(l -> l.replaceAll(" [0-9.]+ s after", " T s after")).toList();
        assertEquals(List.of("tributary launch: node 0 exited (exit code 4) T s after node 1 failed",
            "tributary launch: node 2 exited (exit code 0) T s after node 1 failed"), exited);
        // The others ended by themselves inside the grace period: nobody waited for it to run out.
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "took " + (System.nanoTime() - start));
        assertFalse(io.out().contains("stopping"), io.out());
    }

    @Test
    void aNodeKilledByASignalIsNamedSo() throws IOException
    {
        final int code = supervisor(scripts("sleep 0.3", "kill -9 $$"), LONG_GRACE).run();

        assertEquals(137, code);
        assertEquals(List.of("tributary launch: node 1 failed first (exit code 137, killed by signal 9)"),
            io.errLines());
    }

    @Test
    void nodesStillRunningAfterTheGraceAreStopped() throws IOException, InterruptedException
    {
        final Path sleeper = dir.resolve("sleeper.pid");
        final Duration grace = Duration.ofSeconds(1);
        final AtomicReference<NodeSupervisor> self = new AtomicReference<>();
        final AtomicReference<String> atCleanup = new AtomicReference<>();
        final NodeSupervisor supervisor = new NodeSupervisor(
            scripts("sleep 60 & echo $! > " + sleeper + "; wait", "sleep 0.5; exit 3"), io.out, io.err, grace,
            TERM_WAIT, () -> atCleanup.set(self.get().pids().stream().filter(StandIns::alive).toList().toString()));
        self.set(supervisor);

        final long start = System.nanoTime();
        final int code = supervisor.run();
        final long elapsed = System.nanoTime() - start;

        final long sleeperPid = awaitPid(sleeper, Duration.ZERO.plusSeconds(1));
        pidsToReap.add(sleeperPid);
        assertEquals(3, code);
        assertEquals(List.of("tributary launch: node 1 failed first (exit code 3)"), io.errLines());
        assertTrue(io.outLines().contains("tributary launch: stopping the nodes still running 1 s after node 1 failed"),
            io.out());
        assertFalse(alive(sleeperPid), "the node's own child survived");
        assertEquals("[]", atCleanup.get(), "cleanup ran while nodes were alive");
        // 0.5 s to the failure, 1 s of grace, then SIGTERM ends the shell at once.
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(1400) && elapsed < TimeUnit.SECONDS.toNanos(5),
            "took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void aNodeIgnoringSigtermIsKilled() throws IOException, InterruptedException
    {
        final Path sleeper = dir.resolve("sleeper.pid");
        final long start = System.nanoTime();
        final int code = supervisor(scripts("exit 9", "trap '' TERM; sleep 60 & echo $! > " + sleeper + "; wait"),
            Duration.ofMillis(500)).run();
        final long elapsed = System.nanoTime() - start;

        final long sleeperPid = awaitPid(sleeper, Duration.ofSeconds(1));
        pidsToReap.add(sleeperPid);
        assertEquals(9, code);
        assertFalse(alive(sleeperPid));
        // Grace 0.5 s, then SIGTERM is ignored for the whole TERM_WAIT (1 s), then SIGKILL.
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(1500) && elapsed < TimeUnit.SECONDS.toNanos(6),
            "took " + elapsed / 1_000_000 + " ms");
        assertEquals(1, cleanups.get());
    }

    @Test
    void stopEndsEveryNodeAtOnce() throws Exception
    {
        final Path first = dir.resolve("first.pid");
        final Path second = dir.resolve("second.pid");
        final NodeSupervisor supervisor = supervisor(scripts("sleep 60 & echo $! > " + first + "; wait",
            "trap '' TERM; sleep 60 & echo $! > " + second + "; wait"), LONG_GRACE);
        final AtomicReference<Integer> code = new AtomicReference<>();
        final Thread runner = new Thread(() ->
        {
            try
            {
                code.set(supervisor.run());
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        runner.start();
        pidsToReap.add(awaitPid(first, Duration.ofSeconds(10)));
        pidsToReap.add(awaitPid(second, Duration.ofSeconds(10)));

        final long start = System.nanoTime();
        supervisor.stop();
        runner.join(TimeUnit.SECONDS.toMillis(10));

        assertFalse(runner.isAlive());
        assertEquals(NodeSupervisor.STOPPED, code.get());
        assertTrue(pidsToReap.stream().noneMatch(StandIns::alive));
        assertTrue(supervisor.pids().stream().noneMatch(StandIns::alive));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals("", io.err());
        assertEquals(1, cleanups.get());
    }

    @Test
    void aNodeThatCannotStartStopsTheOnesStarted() throws InterruptedException, IOException
    {
        final Path sleeper = dir.resolve("sleeper.pid");
        final List<ProcessBuilder> nodes = new ArrayList<>(scripts("echo $$ > " + sleeper + "; exec sleep 60"));
        nodes.add(new ProcessBuilder(dir.resolve("no-such-program").toString()));
        final NodeSupervisor supervisor = supervisor(nodes, LONG_GRACE);

        assertThrows(IOException.class, supervisor::run);

        assertEquals(1, supervisor.pids().size());
        assertFalse(alive(supervisor.pids().get(0)));
        assertEquals(1, cleanups.get());
    }

    @Test
    void anOrphanHoldingTheOutputOpenDoesNotHoldTheLauncher() throws IOException, InterruptedException
    {
        final Path orphan = dir.resolve("orphan.pid");
        final long start = System.nanoTime();
        final int code = supervisor(scripts("(sleep 60 & echo $! > " + orphan + "); echo bye"), LONG_GRACE).run();
        final long elapsed = System.nanoTime() - start;

        pidsToReap.add(awaitPid(orphan, Duration.ofSeconds(1)));
        assertEquals(0, code);
        assertTrue(io.outLines().contains("[node 0] bye"), io.out());
        // The copier waits at most 2 s for the end of a stream a process outside the node still holds.
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void describesExitCodes()
    {
        assertEquals("exit code 3", NodeSupervisor.describe(3));
        assertEquals("exit code 137, killed by signal 9", NodeSupervisor.describe(137));
        assertEquals("exit code 143, killed by signal 15", NodeSupervisor.describe(143));
        assertEquals("exit code 128", NodeSupervisor.describe(128));
    }
}
