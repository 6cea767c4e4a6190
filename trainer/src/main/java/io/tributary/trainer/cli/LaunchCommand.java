package io.tributary.trainer.cli;

import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.transport.DriverDirectories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tributary launch --nodes N CONFIG.yaml [train options]}: N node processes of one job on this machine,
 * each {@code tributary train} with the torchrun-style environment (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
 * MASTER_PORT) and a job id and token of this launch, all writing to one run directory.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
    description = "Start N node processes of one training job on this machine and supervise them.",
    footer = { "", "Example: tributary launch --nodes 2 configs/fashion-mlp-2x2.yaml --set run.epochs=1" })
final class LaunchCommand implements Callable<Integer>
{
    private static final Duration TERM_WAIT = Duration.ofSeconds(5);
    private static final String MASTER_ADDR = "127.0.0.1";
    /**
     * Placement the launcher's own environment may hold (srun around a launch, a multi-host setup): the nodes
     * take their place from the launch's variables alone, and talk over loopback.
     */
    private static final List<String> NOT_INHERITED =
        List.of("SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "SLURM_NODELIST", "TRIBUTARY_DATA_HOST");

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "the run configuration")
    private Path configFile;

    @Option(names = "--nodes", paramLabel = "N",
        description = "node processes to start (default: cluster.nodes of the configuration)")
    private Integer nodes;

    @Option(names = "--port", paramLabel = "P",
        description = "first rendezvous UDP port; the sharded scheme also uses the next devices-1 " +
            "(default: a free range)")
    private Integer port;

    @Option(names = "--grace-seconds", paramLabel = "S", defaultValue = "20",
        description = "after a node fails, how long the others may run on to report it themselves " +
            "(default: ${DEFAULT-VALUE})")
    private int graceSeconds;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "passed to every node; repeatable")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
        description = "the run directory all nodes share (default: the --resume DIR, else run.out/NAME-TIMESTAMP, " +
            "made here)")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR",
        description = "passed to every node: continue from DIR's checkpoint")
    private Path resume;

    @Option(names = "--progress-seconds", paramLabel = "S", description = "passed to every node")
    private Integer progressSeconds;

    // tributary compare's emulated link: node i runs in network namespace i and is reached at address i.
    @Option(names = "--netns", hidden = true, split = ",")
    private List<String> namespaces;

    @Option(names = "--netns-addresses", hidden = true, split = ",")
    private List<String> addresses;

    private final PrintStream stdout;
    private final PrintStream stderr;

    LaunchCommand(final PrintStream stdout, final PrintStream stderr)
    {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws IOException
    {
        if (nodes != null && (nodes < 1 || nodes > 256))
        {
            throw new ConfigException("--nodes " + nodes, "", "expected 1..256 node processes");
        }
        // --nodes goes first, so a --set cluster.nodes of the user's that disagrees is what the load keeps.
        final TrainConfig config = ConfigLoader.load(configFile, nodes == null ? overrides : withNodes(nodes));
        final int count = config.cluster().nodes();
        if (nodes != null && count != nodes)
        {
            throw new ConfigException("--set cluster.nodes=" + count, "cluster.nodes",
                "conflicts with --nodes " + nodes + " (leave it out: the launcher sets it)");
        }
        final int rings = config.cluster().rings();
        if (namespaces != null && (namespaces.size() != count || addresses == null || addresses.size() != count))
        {
            throw new ConfigException("--netns", "", "expected one namespace and one address per node (" + count + ")");
        }
        final String masterAddr = namespaces == null ? MASTER_ADDR : addresses.get(0);
        if (resume != null)
        {
            // A typo'd or mismatched --resume is one line here, before any node starts or directory is made.
            Checkpoint.checkBeforeLaunch(resume, config);
        }
        final int firstPort = port != null ? checkedPort(port, rings) : FreePorts.findRange(rings);
        // As for train: --resume DIR without --out continues in DIR.
        final Path runDir = RunDirectory.create(config, out != null ? out : resume).path();
        final String job = "launch-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
        final byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        final String token = HexFormat.of().formatHex(secret);

        stdout.println("tributary launch: " + count + " nodes, job " + job + ", rendezvous " + masterAddr + ":" +
            firstPort + (rings > 1 ? "-" + (firstPort + rings - 1) : "") + ", run directory " + runDir);
        final List<ProcessBuilder> builders = new ArrayList<>();
        for (int rank = 0; rank < count; rank++)
        {
            final List<String> command = new ArrayList<>(nodeCommand(count, runDir));
            if (namespaces != null)
            {
                command.addAll(0, List.of("ip", "netns", "exec", namespaces.get(rank)));
            }
            final ProcessBuilder builder = new ProcessBuilder(command);
            final Map<String, String> env = builder.environment();
            NOT_INHERITED.forEach(env::remove);
            env.putAll(nodeEnvironment(rank, count, firstPort, job, token));
            if (namespaces != null)
            {
                env.put("MASTER_ADDR", masterAddr);
                env.put("TRIBUTARY_DATA_HOST", addresses.get(rank));
            }
            builders.add(builder);
        }
        final NodeSupervisor supervisor = new NodeSupervisor(builders, stdout, stderr,
            Duration.ofSeconds(Math.max(0, graceSeconds)), TERM_WAIT, () -> removeDriverDirectories(job));
        final Thread onSignal = new Thread(supervisor::stop, "launch-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try
        {
            return supervisor.run();
        }
        finally
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            }
            catch (final IllegalStateException ex)
            {
                // The JVM is already shutting down: the hook is running or has run.
            }
        }
    }

    /** The torchrun-style variables of node {@code rank} plus this launch's job id and token. */
    static Map<String, String> nodeEnvironment(final int rank, final int nodes, final int masterPort, final String job,
        final String token)
    {
        return Map.of("RANK", Integer.toString(rank), "WORLD_SIZE", Integer.toString(nodes),
            "LOCAL_RANK", Integer.toString(rank), "MASTER_ADDR", MASTER_ADDR,
            "MASTER_PORT", Integer.toString(masterPort),
            "TRIBUTARY_JOB", job, "TRIBUTARY_TOKEN", token);
    }

    /** {@code java <this JVM's flags> -cp <this classpath> ...Main train CONFIG --set cluster.nodes=N <options>}. */
    private List<String> nodeCommand(final int count, final Path runDir)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // A debugger agent listens on one port: a second JVM with the same flag would fail to start.
            if (!flag.startsWith("-agentlib:jdwp") && !flag.startsWith("-Xrunjdwp"))
            {
                command.add(flag);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
            configFile.toString()));
        withNodes(count).forEach(set -> command.addAll(List.of("--set", set)));
        command.addAll(List.of("--out", runDir.toString()));
        if (resume != null)
        {
            command.addAll(List.of("--resume", resume.toString()));
        }
        if (progressSeconds != null)
        {
            command.addAll(List.of("--progress-seconds", progressSeconds.toString()));
        }
        return command;
    }

    private List<String> withNodes(final int count)
    {
        final List<String> sets = new ArrayList<>();
        sets.add("cluster.nodes=" + count);
        sets.addAll(overrides);
        return sets;
    }

    private static int checkedPort(final int first, final int rings)
    {
        if (!FreePorts.isFree(first, rings))
        {
            throw new ConfigException("--port " + first, "", rings == 1 ?
                "UDP port " + first + " is in use or not a port" :
                "UDP ports " + first + ".." + (first + rings - 1) + " (one per device under the sharded scheme) " +
                    "are not all free");
        }
        return first;
    }

    /** Driver directories that nodes killed by a signal left in /dev/shm (or the temporary directory). */
    private void removeDriverDirectories(final String job)
    {
        final int removed = DriverDirectories.deleteStale(job).size();
        if (removed > 0)
        {
            stdout.println("tributary launch: removed " + removed + " Aeron director" + (removed == 1 ? "y" : "ies") +
                " left by stopped nodes");
        }
    }
}
