package io.tributary.trainer.launch;

import io.tributary.transport.DriverDirectories;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a running launcher (a JVM of its own) stops every node it started and leaves nothing behind. Under
 * sharded each node closes its two rings, which share one driver, from one ordered hook; no node may print an
 * exception while it stops.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherSignalTest
{
    private static final Pattern STARTED = Pattern.compile("tributary launch: node (\\d+) started \\(pid (\\d+)\\)");
    private static final Pattern JOB = Pattern.compile("tributary launch: \\d+ nodes, job (\\S+),.*");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "leader", "sharded" })
    void sigtermStopsEveryNode(final String scheme) throws Exception
    {
        final Path config = SmallJob.write(dir, 200, 100_000, "sharded".equals(scheme) ? 2 : 1, scheme);
        final Process launcher = Jvm.cli("launch", "--nodes", "2", config.toString(),
            "--out", dir.resolve("run").toString()).start();
        final List<Long> nodes = new ArrayList<>();
        try
        {
            final LineLog out = LineLog.of(launcher.getInputStream(), "launcher-stdout");
            final LineLog err = LineLog.of(launcher.getErrorStream(), "launcher-stderr");
            final Duration startup = Duration.ofSeconds(60);
            final Matcher job = JOB.matcher(out.await(JOB.asPredicate(), startup).text());
            assertTrue(job.matches());
            for (int node = 0; node < 2; node++)
            {
                final String prefix = "tributary launch: node " + node + " started";
                final Matcher started = STARTED.matcher(out.await(l -> l.startsWith(prefix), startup).text());
                assertTrue(started.matches());
                nodes.add(Long.parseLong(started.group(2)));
                // Training has begun on the node: its model line is out.
                final String modelLine = "[node " + node + "] model: ";
                out.await(l -> l.startsWith(modelLine), startup);
            }

            final long signalled = System.nanoTime();
            launcher.destroy();
            assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher did not end within 30 s of SIGTERM");
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);

            assertNotEquals(0, launcher.exitValue());
            // At most 5 s for SIGTERM, 5 s after SIGKILL and 2 s to drain the output, plus the launcher's own exit.
            assertTrue(tookMs < 15_000, "stopping took " + tookMs + " ms");
            for (final long pid : nodes)
            {
                assertTrue(!StandIns.alive(pid), "node pid " + pid + " still runs\n" + out.text() + err.text());
            }
            final File shm = new File("/dev/shm");
            final String base = shm.isDirectory() ? shm.getPath() : System.getProperty("java.io.tmpdir");
            assertEquals(List.of(), DriverDirectories.list(base, job.group(1)));
            assertTrue(!err.text().contains("Exception"), "a node printed an exception while stopping:\n" + err.text());
        }
        finally
        {
            launcher.destroyForcibly();
            StandIns.killAll(nodes);
        }
    }
}
