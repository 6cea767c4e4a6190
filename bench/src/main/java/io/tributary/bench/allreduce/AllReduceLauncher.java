package io.tributary.bench.allreduce;

import io.tributary.transport.EmbeddedDriver;
import io.tributary.transport.TransportContext;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Starts NP rank JVMs of {@link AllReduceRank} on this machine and relays rank 0's RESULT lines:
 * {@code udp|ipc NP BUDGET_BYTES SIZE_BYTES...}. Over UDP every rank has its own embedded driver (as in
 * production); over IPC the ranks share one driver that this launcher runs.
 */
public final class AllReduceLauncher
{
    private AllReduceLauncher()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 4 || !args[0].matches("udp|ipc") || !args[1].matches("[1-9][0-9]?") ||
            !String.join(" ", List.of(args).subList(2, args.length)).matches("[0-9]+( [1-9][0-9]*)+"))
        {
            System.err.println("usage: AllReduceLauncher udp|ipc NP BUDGET_BYTES SIZE_BYTES... (got " +
                String.join(" ", args) + ")");
            System.exit(2);
        }
        final String mode = args[0];
        final int np = Integer.parseInt(args[1]);
        final String jobId = "bench-" + mode + np + "-" +
            Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xFFFFFF);
        final int port = freeUdpPort();
        final TransportContext driverCtx = new TransportContext().jobId(jobId).token("bench").rank(0).worldSize(1);
        final EmbeddedDriver driver = mode.equals("ipc") ? EmbeddedDriver.launch(driverCtx) : null;
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<Process> ranks = new ArrayList<>();
        int failed = 0;
        try
        {
            for (int rank = 0; rank < np; rank++)
            {
                final List<String> command = new ArrayList<>(List.of(java,
                    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1536m", "-XX:+UseParallelGC"));
                for (final String option : System.getenv().getOrDefault("ALLREDUCE_RANK_OPTS", "").split(" "))
                {
                    if (!option.isBlank())
                    {
                        command.add(option);
                    }
                }
                command.addAll(List.of(
                    "-cp", System.getProperty("java.class.path"), AllReduceRank.class.getName(),
                    mode, jobId, String.valueOf(rank), String.valueOf(np), String.valueOf(port),
                    driver == null ? "-" : driver.directory()));
                command.addAll(List.of(args).subList(2, args.length));
                ranks.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            try (BufferedReader out = new BufferedReader(new InputStreamReader(ranks.get(0).getInputStream(),
                StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = out.readLine()) != null)
                {
                    System.out.println(line);
                }
            }
            for (final Process rank : ranks)
            {
                if (!rank.waitFor(10, TimeUnit.MINUTES) || rank.exitValue() != 0)
                {
                    failed++;
                }
            }
        }
        finally
        {
            ranks.forEach(Process::destroyForcibly);
            if (driver != null)
            {
                driver.close();
            }
        }
        if (failed > 0)
        {
            System.err.println("allreduce: " + failed + " of " + np + " " + mode + " ranks failed");
            System.exit(1);
        }
    }

    private static int freeUdpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            return socket.getLocalPort();
        }
    }
}
