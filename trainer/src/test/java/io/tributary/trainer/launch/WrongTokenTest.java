package io.tributary.trainer.launch;

import io.tributary.trainer.cli.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes started by hand with the environment contract, node 1 with another token: node 1 is refused with
 * one line, and node 0, left alone, logs the refusal and fails at its rendezvous deadline naming the missing
 * node.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WrongTokenTest
{
    private static final int TIMEOUT_S = 5;
    private static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    Path dir;

    @Test
    void aNodeWithAnotherTokenIsRefused() throws Exception
    {
        final Path config = SmallJob.write(dir, 20, 1, 1, "leader");
        final int port = FreePorts.findRange(1);
        final String job = "wrong-token-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Process node0 = null;
        Process node1 = null;
        try
        {
            final long start = System.nanoTime();
            node0 = node(config, 0, port, job, "the-right-token").start();
            final LineLog err0 = LineLog.of(node0.getErrorStream(), "node0-stderr");
            LineLog.of(node0.getInputStream(), "node0-stdout");
            node1 = node(config, 1, port, job, "another-token").start();
            final LineLog err1 = LineLog.of(node1.getErrorStream(), "node1-stderr");
            LineLog.of(node1.getInputStream(), "node1-stdout");

            assertTrue(node1.waitFor(60, TimeUnit.SECONDS), "node 1 still runs");
            assertTrue(node0.waitFor(60, TimeUnit.SECONDS), "node 0 still runs");
            final long tookS = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

            final List<String> refused = withoutWarning(err1.texts());
            assertEquals(3, node1.exitValue(), err1.text());
            assertEquals(1, refused.size(), err1.text());
            assertEquals("tributary: job " + job + " rank 1: refused by rank 0: wrong token", refused.get(0));

            // Node 0 logs the refused join (the transport's log line) and ends with one line of its own.
            assertTrue(err0.text().contains("refused join of rank 1 from 127.0.0.1:"), err0.text());
            assertTrue(err0.text().contains(": wrong token"), err0.text());
            // ... as one line (Main sets a one-line java.util.logging format), not a date/class line plus a record.
            assertTrue(err0.texts().stream().anyMatch(l -> l.startsWith("WARNING: job " + job +
                " rank 0: refused join of rank 1 from 127.0.0.1:")), err0.text());
            assertFalse(err0.text().contains("io.tributary.transport.Rendezvous"), err0.text());
            final List<String> alone = Captured.starting(err0.texts(), "tributary: ");
            assertEquals(3, node0.exitValue(), err0.text());
            assertEquals(1, alone.size(), err0.text());
            assertEquals("tributary: job " + job + " rank 0: ranks [1] did not join at 127.0.0.1:" + port + " within " +
                TIMEOUT_S * 1000 + " ms", alone.get(0));
            // Its deadline plus the start of two JVMs on a busy 2-core machine.
            assertTrue(tookS < TIMEOUT_S + 40, "took " + tookS + " s");
        }
        finally
        {
            for (final Process node : new Process[] { node0, node1 })
            {
                if (node != null)
                {
                    node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static ProcessBuilder node(final Path config, final int rank, final int port, final String job,
        final String token)
    {
        final ProcessBuilder builder = Jvm.cli("train", config.toString(),
            "--out", config.resolveSibling("run").toString(),
            "--set", "cluster.nodes=2", "--set", "cluster.timeout_s=" + TIMEOUT_S);
        final Map<String, String> env = builder.environment();
        env.putAll(Map.of("RANK", Integer.toString(rank), "WORLD_SIZE", "2", "LOCAL_RANK", "0",
            "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", Integer.toString(port), "TRIBUTARY_JOB", job,
            "TRIBUTARY_TOKEN", token));
        return builder;
    }

    private static List<String> withoutWarning(final List<String> lines)
    {
        return lines.stream().filter(l -> !l.equals(INCUBATOR_WARNING)).toList();
    }
}
