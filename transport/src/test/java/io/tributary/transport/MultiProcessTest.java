package io.tributary.transport;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranks as separate JVMs, each with its own embedded driver, over UDP loopback. */
class MultiProcessTest
{
    private static final String BASE = new TransportContext().driverBaseDirectory();

    @Test
    void threeProcessesSumExactly() throws Exception
    {
        final String jobId = LocalRing.newJobId("procs");
        final int port = LocalRing.freeUdpPort();
        final List<Child> children = new ArrayList<>();
        try
        {
            for (int rank = 0; rank < 3; rank++)
            {
                children.add(new Child("sum", jobId, rank, 3, port, 0));
            }
            for (final Child child : children)
            {
                assertTrue(child.process.waitFor(90, TimeUnit.SECONDS), "rank exits: " + child.lines);
                assertTrue(child.lines.contains("OK"), child.lines.toString());
                assertEquals(0, child.process.exitValue(), child.lines.toString());
            }
            assertTrue(DriverDirectories.list(BASE, jobId).isEmpty(), "no driver directory left");
        }
        finally
        {
            children.forEach(c -> c.process.destroyForcibly());
        }
    }

    @Test
    void sigtermClosesTheTransportAndDeletesTheDriverDirectory() throws Exception
    {
        final String jobId = LocalRing.newJobId("term");
        final Child child = new Child("idle", jobId, 0, 1, LocalRing.freeUdpPort(), 0);
        try
        {
            final long start = System.nanoTime();
            while (child.lines.stream().noneMatch(l -> l.startsWith("READY ")))
            {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), child.toString());
                Thread.sleep(20);
            }
            final String dir = child.lines.stream().filter(l -> l.startsWith("READY ")).findFirst().orElseThrow().substring(6);
            assertTrue(new java.io.File(dir).isDirectory(), dir);
            child.process.destroy();
            assertTrue(child.process.waitFor(20, TimeUnit.SECONDS), "SIGTERM ends the process: " + child);
            assertTrue(!new java.io.File(dir).exists(), "driver directory deleted by the shutdown hook: " + dir);
        }
        finally
        {
            child.process.destroyForcibly();
        }
    }

    @Test
    void sigtermDuringRendezvousDeletesTheDriverDirectory() throws Exception
    {
        final String jobId = LocalRing.newJobId("termjoin");
        final Child child = new Child("idle", jobId, 1, 2, LocalRing.freeUdpPort(), 0);
        try
        {
            final long start = System.nanoTime();
            while (DriverDirectories.list(BASE, jobId).isEmpty())
            {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), child.toString());
                Thread.sleep(20);
            }
            Thread.sleep(1000); // past the driver start: rank 1 now waits for rank 0, which never comes
            child.process.destroy();
            assertTrue(child.process.waitFor(20, TimeUnit.SECONDS), "SIGTERM ends the process: " + child);
            assertTrue(child.lines.stream().noneMatch(l -> l.startsWith("READY ")), child.toString());
            assertTrue(DriverDirectories.list(BASE, jobId).isEmpty(),
                "driver directory deleted by the shutdown hook: " + DriverDirectories.list(BASE, jobId));
        }
        finally
        {
            child.process.destroyForcibly();
        }
    }

    @Test
    void everySurvivorNamesTheKilledRankWithinDeadlinePlusTwoSeconds() throws Exception
    {
        final String jobId = LocalRing.newJobId("kill");
        final int port = LocalRing.freeUdpPort();
        final long deadlineMs = 4000;
        final int victim = 1;
        final List<Child> children = new ArrayList<>();
        try
        {
            for (int rank = 0; rank < 3; rank++)
            {
                children.add(new Child("loop", jobId, rank, 3, port, deadlineMs));
            }
            final long killedAt = killAfterThreeIterations(children, victim);
            for (final Child survivor : survivors(children, victim))
            {
                final int rank = survivor.rank;
                final String lost = awaitLossReport(survivor);
                final String[] fields = lost.split(" ");
                assertEquals(String.valueOf(victim), fields[1], lost);
                final long detectedMs = Long.parseLong(fields[2]) - killedAt;
                System.out.println("rank " + rank + " noticed the kill of rank " + victim + " after " + detectedMs + " ms");
                assertTrue(detectedMs <= deadlineMs + 2000, "rank " + rank + " noticed after " + detectedMs + " ms: " + lost);
                assertTrue(survivor.lines.contains("CLOSED"), survivor.lines.toString());
            }
            assertTrue(DriverDirectories.list(BASE, jobId).isEmpty(),
                "no driver directory left: " + DriverDirectories.list(BASE, jobId));
        }
        finally
        {
            children.forEach(c -> c.process.destroyForcibly());
        }
    }

    /**
     * Over IPC the ranks share one driver (here in the test JVM, with a 2 s client liveness timeout), which
     * notices a killed client only after that timeout and then ends its streams cleanly; the survivors must
     * still tell it from a clean close (no LEAVE) and name the killed rank as lost.
     */
    @Test
    void ipcSurvivorsNameTheKilledRank() throws Exception
    {
        final String jobId = LocalRing.newJobId("ipckill");
        final int port = LocalRing.freeUdpPort();
        final long deadlineMs = 20_000;
        final int victim = 1;
        final List<Child> children = new ArrayList<>();
        try (EmbeddedDriver driver = EmbeddedDriver.launch(LocalRing.testContext(jobId, 0, 1, port)
            .termLength(2 * 1024 * 1024).clientLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(2))))
        {
            for (int rank = 0; rank < 3; rank++)
            {
                children.add(new Child("loop", jobId, rank, 3, port, deadlineMs, driver.directory()));
            }
            final long killedAt = killAfterThreeIterations(children, victim);
            for (final Child survivor : survivors(children, victim))
            {
                final int rank = survivor.rank;
                final String lost = awaitLossReport(survivor);
                final long detectedMs = Long.parseLong(lost.split(" ")[2]) - killedAt;
                System.out.println("IPC: rank " + rank + " noticed the kill of rank " + victim + " after " + detectedMs + " ms: " + lost);
                assertEquals(String.valueOf(victim), lost.split(" ")[1], lost);
                assertTrue(lost.contains("image went away"), "a kill, not a clean close: " + lost);
                // The driver reaps the client after its 2 s liveness timeout (and timer interval); no close grace.
                assertTrue(detectedMs <= 4000, "rank " + rank + " noticed after " + detectedMs + " ms: " + lost);
            }
        }
        finally
        {
            children.forEach(c -> c.process.destroyForcibly());
        }
    }

    /** A rank that runs no collective (a trainer evaluating, say) still learns of a killed peer, from checkPeers. */
    @Test
    void checkPeersNamesAKilledRankOutsideAnyCollective() throws Exception
    {
        final String jobId = LocalRing.newJobId("watch");
        final int port = LocalRing.freeUdpPort();
        final List<Child> children = new ArrayList<>();
        try
        {
            children.add(new Child("watch", jobId, 0, 2, port, 20_000));
            children.add(new Child("idle", jobId, 1, 2, port, 20_000));
            final long waitStart = System.nanoTime();
            while (!children.stream().allMatch(c -> c.lines.stream().anyMatch(l -> l.startsWith("READY"))))
            {
                assertTrue(System.nanoTime() - waitStart < TimeUnit.SECONDS.toNanos(60), "ranks never joined: " + children);
                Thread.sleep(50);
            }
            final long killedAt = System.currentTimeMillis();
            children.get(1).process.destroyForcibly().waitFor();
            final String lost = awaitLossReport(children.get(0));
            assertEquals("1", lost.split(" ")[1], lost);
            final long detectedMs = Long.parseLong(lost.split(" ")[2]) - killedAt;
            System.out.println("checkPeers: rank 0 noticed the kill of rank 1 after " + detectedMs + " ms");
            // Image liveness 2 s plus the driver's timer interval and the 50 ms poll; far below the 20 s deadline.
            assertTrue(detectedMs <= 4000, "noticed after " + detectedMs + " ms: " + lost);
        }
        finally
        {
            children.forEach(c -> c.process.destroyForcibly());
        }
    }

    /** Waits until every rank has run 3 iterations, then kills the victim; returns when it was killed. */
    private static long killAfterThreeIterations(final List<Child> children, final int victim) throws InterruptedException
    {
        final long waitStart = System.nanoTime();
        while (!children.stream().allMatch(c -> c.lines.contains("ITER 3")))
        {
            assertTrue(System.nanoTime() - waitStart < TimeUnit.SECONDS.toNanos(90), "ranks never ran: " + children);
            Thread.sleep(50);
        }
        final long killedAt = System.currentTimeMillis();
        children.get(victim).process.destroyForcibly().waitFor();
        return killedAt;
    }

    /** The children other than the victim, in rank order. */
    private static List<Child> survivors(final List<Child> children, final int victim)
    {
        final List<Child> survivors = new ArrayList<>(children);
        survivors.remove(victim); // an index: children are in rank order
        return survivors;
    }

    /** The LOST line of a survivor, which must first exit by itself. */
    private static String awaitLossReport(final Child survivor) throws InterruptedException
    {
        assertTrue(survivor.process.waitFor(30, TimeUnit.SECONDS),
            "survivor " + survivor.rank + " exits by itself: " + survivor.lines);
        return survivor.lines.stream().filter(l -> l.startsWith("LOST ")).findFirst()
            .orElseThrow(() -> new AssertionError("rank " + survivor.rank + " did not report the loss: " + survivor.lines));
    }

    private static final class Child
    {
        final int rank;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Child(final String mode, final String jobId, final int rank, final int world, final int port, final long deadlineMs)
            throws Exception
        {
            this(mode, jobId, rank, world, port, deadlineMs, null);
        }

        Child(final String mode, final String jobId, final int rank, final int world, final int port, final long deadlineMs,
            final String ipcDriverDirectory) throws Exception
        {
            this.rank = rank;
            final String java = ProcessHandle.current().info().command().orElse("java");
            final List<String> command = new ArrayList<>(List.of(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), RankProcess.class.getName(),
                mode, jobId, String.valueOf(rank), String.valueOf(world), String.valueOf(port),
                String.valueOf(deadlineMs == 0 ? 20000 : deadlineMs)));
            if (ipcDriverDirectory != null)
            {
                command.add(ipcDriverDirectory);
            }
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = in.readLine()) != null)
                    {
                        lines.add(line);
                    }
                }
                catch (final Exception ignore)
                {
                    // process gone
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        public String toString()
        {
            return "rank " + rank + " " + lines;
        }
    }
}
