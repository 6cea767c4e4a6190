package io.tributary.trainer.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.trainer.config.DataConfig;
import io.tributary.trainer.config.ModelConfig;
import io.tributary.trainer.config.OptimizerConfig;
import io.tributary.trainer.config.TrainConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch DDP row: the same builtin model, Fashion-MNIST files, optimizer and global batch, trained by
 * {@code torch.distributed} DDP over gloo, one process per node (ddp_row.py, written next to the cases), on the same
 * link. Each process runs one thread, as a Tributary replica does. Its bytes per step are what gloo's ring sends
 * per node for the fp32 gradient, 2 (N-1)/N of it; its communication share is not measured.
 */
public final class DdpRow
{
    static final String SCRIPT = "ddp_row.py";
    /** Debian's interpreter, where python3-torch installs torch (a python3 earlier on PATH may lack it). */
    static final String PYTHON = "/usr/bin/python3";
    private static final Set<String> ACTIVATIONS = Set.of("relu", "leakyrelu", "tanh", "sigmoid");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NETNS_PORT = 29700;

    private final TrainConfig config;
    private final int epochs;
    private final int evalEverySteps;
    private final NamespaceLink link;
    private final Path script;
    private final long timeoutSeconds;

    /**
     * @param link            the emulated link; null on loopback
     * @param scriptDir       where ddp_row.py is written
     * @param timeoutSeconds  how long one case may take before its processes are killed
     */
    public DdpRow(final TrainConfig config, final int epochs, final int evalEverySteps, final NamespaceLink link,
        final Path scriptDir, final long timeoutSeconds) throws IOException
    {
        this.config = config;
        this.epochs = epochs;
        this.evalEverySteps = evalEverySteps;
        this.link = link;
        this.timeoutSeconds = timeoutSeconds;
        Files.createDirectories(scriptDir);
        this.script = scriptDir.resolve(SCRIPT);
        try (InputStream in = DdpRow.class.getResourceAsStream(SCRIPT))
        {
            Files.write(script, in.readAllBytes());
        }
    }

    /** Why the DDP row cannot run for {@code config}, or null when it can. */
    public static String unavailableReason(final TrainConfig config)
    {
        final ModelConfig model = config.model();
        if (model.kind() == ModelConfig.Kind.FILE)
        {
            return "the model is a file (model.path); the DDP row trains builtin models only";
        }
        if (model.kind() == ModelConfig.Kind.MLP && !ACTIVATIONS.contains(model.activation()))
        {
            return "the DDP row's MLP has activations " + ACTIVATIONS + ", not " + model.activation();
        }
        if (config.data().kind() != DataConfig.Kind.FASHION_MNIST)
        {
            return "the DDP row reads Fashion-MNIST IDX files (data.type fashion), not " +
                config.data().kind().name().toLowerCase();
        }
        final OptimizerConfig optimizer = config.optimizer();
        if (optimizer.kind() == OptimizerConfig.Kind.NESTEROV || optimizer.weightDecay() > 0)
        {
            return "the DDP row trains with plain sgd or adam, without weight decay";
        }
        if (!pythonHasTorch())
        {
            return PYTHON + " cannot import torch (apt-get install python3-torch libopenblas0-pthread)";
        }
        return null;
    }

    static boolean pythonHasTorch()
    {
        try
        {
            final Process p = new ProcessBuilder(PYTHON, "-c", "import torch, torch.distributed")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Trains case {@code c} with DDP, its result and logs in {@code dir}. */
    public CaseOutcome run(final CompareCase c, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        final Path result = dir.resolve("result.json");
        Files.deleteIfExists(result);
        final int nodes = c.nodes();
        final String master = link == null ? "127.0.0.1" : NamespaceLink.address(0);
        final int port = link == null ? freePort() : NETNS_PORT;
        final long startNs = System.nanoTime();
        final List<Process> processes = new ArrayList<>();
        try
        {
            for (int rank = 0; rank < nodes; rank++)
            {
                final List<String> command = command(rank, nodes, master, port, result);
                final ProcessBuilder builder = new ProcessBuilder(link == null ? command : link.wrap(rank, command))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rank" + rank + ".log").toFile());
                builder.environment().put("OMP_NUM_THREADS", "1");
                builder.environment().put("OPENBLAS_NUM_THREADS", "1");
                processes.add(builder.start());
            }
            final long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            int failed = -1;
            for (int rank = 0; rank < nodes; rank++)
            {
                final long leftNs = Math.max(1, deadlineNs - System.nanoTime());
                if (!processes.get(rank).waitFor(leftNs, TimeUnit.NANOSECONDS))
                {
                    return CaseOutcome.failed(c.strategy(), c.repeat(), "failed: no result in " + timeoutSeconds +
                        " s (" + dir + ")", seconds(startNs));
                }
                if (processes.get(rank).exitValue() != 0 && failed < 0)
                {
                    failed = rank;
                }
            }
            if (failed >= 0)
            {
                final Path log = dir.resolve("rank" + failed + ".log");
                return CaseOutcome.failed(c.strategy(), c.repeat(), "failed (rank " + failed + ", exit " +
                    processes.get(failed).exitValue() + "): " + Comparison.firstError(log) + " (" + log + ")",
                    seconds(startNs));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the DDP row trained");
        }
        finally
        {
            processes.forEach(Process::destroyForcibly);
        }
        return read(c, result, nodes, seconds(startNs));
    }

    private List<String> command(final int rank, final int nodes, final String master, final int port,
        final Path result)
    {
        final ModelConfig model = config.model();
        final OptimizerConfig optimizer = config.optimizer();
        final List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(),
            "--rank", Integer.toString(rank), "--world", Integer.toString(nodes),
            "--master-addr", master, "--master-port", Integer.toString(port),
            "--model", model.kind() == ModelConfig.Kind.LENET ? "lenet" : "mlp",
            "--data-dir", config.data().dir().toString(),
            "--optimizer", optimizer.kind() == OptimizerConfig.Kind.ADAM ? "adam" : "sgd",
            "--lr", Double.toString(optimizer.learningRate()), "--lr-gamma", Double.toString(optimizer.lrGamma()),
            "--batch", Integer.toString(config.run().batchSize()), "--epochs", Integer.toString(epochs),
            "--seed", Long.toString(config.run().seed()), "--eval-every-steps", Integer.toString(evalEverySteps),
            "--threads", "1", "--timeout-s", Integer.toString(config.cluster().timeoutSeconds()),
            "--out", result.toString()));
        if (model.kind() == ModelConfig.Kind.MLP)
        {
            command.add("--hidden=" + String.join(",", model.hidden().stream().map(String::valueOf).toList()));
            command.addAll(List.of("--activation", model.activation()));
        }
        return command;
    }

    private static CaseOutcome read(final CompareCase c, final Path result, final int nodes, final double seconds)
        throws IOException
    {
        if (!Files.isRegularFile(result))
        {
            return CaseOutcome.failed(c.strategy(), c.repeat(), "failed: rank 0 wrote no " + result, seconds);
        }
        final JsonNode json = JSON.readTree(Files.readString(result));
        final double accuracy = json.path("test_accuracy").asDouble(Double.NaN);
        if (!Double.isFinite(accuracy))
        {
            return CaseOutcome.failed(c.strategy(), c.repeat(), "diverged", seconds);
        }
        final double ringBytes = nodes > 1 ? 2.0 * (nodes - 1) / nodes * json.path("bytes_per_step").asDouble() : 0;
        return new CaseOutcome(c.strategy(), c.repeat(), CaseOutcome.OK, json.path("samples_per_sec").asDouble(),
            accuracy, CaseOutcome.curve(json.path("accuracy_curve")), ringBytes, Double.NaN, seconds);
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static double seconds(final long startNs)
    {
        return (System.nanoTime() - startNs) / 1e9;
    }
}
