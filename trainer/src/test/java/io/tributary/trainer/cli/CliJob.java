package io.tributary.trainer.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The nodes of one job, each a real {@code tributary train} through {@link Main#run} on its own thread, joined
 * over UDP loopback: a unique job id and a free rendezvous port per job, so parallel builds do not collide.
 * The node's place comes from {@code cluster.*} keys (the environment of this JVM has no RANK).
 */
final class CliJob
{
    private static final AtomicLong JOBS = new AtomicLong();
    private static final long TIMEOUT_S = 90;

    private final int nodes;
    private final String job = "cli-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" +
        JOBS.incrementAndGet();
    private final int port;

    CliJob(final int nodes) throws IOException
    {
        this.nodes = nodes;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            this.port = socket.getLocalPort();
        }
    }

    /** Runs every node with {@code config --out out} plus {@code extra} (and per node {@code perNode[rank]}). */
    List<CliRun> run(final Path config, final Path out, final List<List<String>> perNode, final String... extra)
        throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try
        {
            final List<Future<CliRun>> runs = new ArrayList<>();
            for (int rank = 0; rank < nodes; rank++)
            {
                final List<String> args = new ArrayList<>(List.of("train", config.toString(), "--out", out.toString(),
                    "--progress-seconds", "600",
                    "--set", "cluster.nodes=" + nodes, "--set", "cluster.node_rank=" + rank,
                    "--set", "cluster.master_port=" + port, "--set", "cluster.job=" + job,
                    "--set", "cluster.token=secret-" + job));
                args.addAll(List.of(extra));
                if (perNode != null)
                {
                    args.addAll(perNode.get(rank));
                }
                runs.add(pool.submit(() -> CliRun.of(args.toArray(new String[0]))));
            }
            final List<CliRun> results = new ArrayList<>();
            for (final Future<CliRun> run : runs)
            {
                results.add(run.get(TIMEOUT_S, TimeUnit.SECONDS));
            }
            return results;
        }
        finally
        {
            pool.shutdownNow();
            pool.awaitTermination(TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    List<CliRun> run(final Path config, final Path out, final String... extra) throws Exception
    {
        return run(config, out, null, extra);
    }

    /**
     * Asserts every node exited 0 and printed a done line matching {@code done} (group 2: the checksum) with the
     * same checksum; returns it.
     */
    static String commonChecksum(final List<CliRun> nodes, final Pattern done)
    {
        String checksum = null;
        for (final CliRun node : nodes)
        {
            assertEquals(0, node.exitCode(), node.out() + node.err());
            final Matcher line = done.matcher(node.out());
            assertTrue(line.find(), node.out());
            checksum = checksum == null ? line.group(2) : checksum;
            assertEquals(checksum, line.group(2), "every node ends with the same parameters");
        }
        return checksum;
    }
}
