package io.tributary.trainer.cli;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingPhase;
import io.tributary.trainer.TrainingPosition;
import io.tributary.trainer.cluster.World;
import io.tributary.trainer.cluster.WorldResolver;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.metrics.NodeReport;
import io.tributary.trainer.metrics.Timeline;
import io.tributary.trainer.model.ModelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code tributary train CONFIG.yaml [--set key.path=value ...] [--out DIR] [--resume DIR]}: one node of a job.
 * The node's place in the job comes from the environment or the YAML ({@link WorldResolver}); node 0 writes the
 * run directory. A lost peer or a refused join ends the node with one stderr line and {@link Main#PEER_LOST}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the model a YAML configuration describes, on this node's devices.",
    footer = { "", "Example: tributary train configs/fashion-mlp.yaml --set run.epochs=1 --set cluster.devices=3",
        "", "A node of a multi-node job takes RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT (or SLURM_PROCID,",
        "SLURM_NTASKS, SLURM_LOCALID, SLURM_NODELIST), TRIBUTARY_JOB and TRIBUTARY_TOKEN from the environment." })
final class TrainCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "the run configuration")
    private Path configFile;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
        description = "override one configuration key, e.g. run.epochs=1 or model.hidden=[64,32]; repeatable")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
        description = "run directory for model.zip, metrics.json, config.yaml and checkpoint.zip, written by " +
            "node 0 (default: the --resume DIR, else run.out/NAME-TIMESTAMP)")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR",
        description = "continue from DIR/checkpoint.zip (every node passes it; on a cluster DIR is shared storage)")
    private Path resume;

    @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "5",
        description = "seconds between progress lines (default: ${DEFAULT-VALUE})")
    private int progressSeconds;

    /** For tests of resume: stop (exit 0) at the first checkpoint at or after this global step. */
    @Option(names = "--stop-after-steps", paramLabel = "N", hidden = true, defaultValue = "0")
    private long stopAfterSteps;

    @Spec
    private CommandSpec spec;

    private final PrintStream stdout;

    TrainCommand(final PrintStream stdout)
    {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws IOException
    {
        final Instant started = Instant.now();
        final TrainConfig config = withJobNodes(ConfigLoader.load(configFile, overrides));
        final World world = WorldResolver.resolve(config.cluster(), System.getenv());
        final TrainTest data = DataSource.of(config.data()).load();
        stdout.printf("data: %s, %d train / %d test examples, %d features, %d classes%n",
            config.data().kind().name().toLowerCase().replace('_', '-'), data.train().size(), data.test().size(),
            data.train().numFeatures(), data.train().numClasses());
        stdout.println(worldLine(world, config.cluster()));
        if (WorldResolver.isOpen(world))
        {
            stdout.println("warning: no token (TRIBUTARY_TOKEN or cluster.token): any process that knows job '" +
                world.jobId() + "' and the rendezvous can join it");
        }
        final Checkpoint checkpoint = resume == null ? null : Checkpoint.read(resume);
        final Path outDir = out != null ? out : resume;
        final Path shared = outDir == null ? null : outDir.resolve(Checkpoint.FILE);
        Checkpointing listener = null;
        Trainer trainer = null;
        RunDirectory runDir = null;
        try
        {
            trainer = new Trainer(config, data, world);
            if (checkpoint != null)
            {
                restore(trainer, checkpoint, config, data.train().size());
            }
            runDir = world.rank() == 0 ? RunDirectory.create(config, outDir) : null;
            if (runDir != null)
            {
                runDir.writeConfig(config);
            }
            stdout.printf("model: %s, %d parameters; %d %s device(s) x %d thread(s); global batch %d, %d steps/epoch%n",
                config.model().kind().name().toLowerCase(), trainer.numParams(), config.cluster().devicesOf(world.rank()),
                config.cluster().backend(), trainer.threadsPerDevice(), config.run().batchSize(), trainer.stepsPerEpoch());
            final ProgressLine progress = new ProgressLine(stdout, config.run().epochs(),
                TimeUnit.SECONDS.toNanos(Math.max(1, progressSeconds)), !world.isSingle(), trainer::wireProgress);
            listener = new Checkpointing(progress, config, runDir, data.train().size(), stopAfterSteps);
            final TrainResult result = trainer.train(listener);
            // The model first, so nothing after training can lose it. The gathers are collectives: every node
            // takes part, in this order; node 0 writes what they bring, the small metrics before the timeline.
            if (runDir != null)
            {
                runDir.writeModel(result.model(), RunDirectory.MODEL);
            }
            final List<NodeReport> reports = trainer.gatherNodeReports();
            if (runDir != null)
            {
                runDir.writeMetrics(result, trainer.threadsPerDevice(), config.strategy().toMap(),
                    NodeMetrics.of(reports));
            }
            final Timeline timeline = trainer.gatherTimeline();
            if (runDir != null && config.run().timelineSteps() > 0)
            {
                runDir.writeTimeline(timeline);
            }
            trainer.leaveTogether();
            printDone(world, result);
            if (runDir != null)
            {
                stdout.println("run directory: " + runDir.path() + " (" + RunDirectory.MODEL + ", " +
                    RunDirectory.METRICS + (config.run().timelineSteps() > 0 ? ", " + RunDirectory.TIMELINE : "") +
                    ", " + RunDirectory.CONFIG + ", " + Checkpoint.FILE + ")");
            }
            return 0;
        }
        catch (final Checkpointing.Stop stop)
        {
            trainer.leaveTogether();
            stdout.printf("stopped: %sat global step %d (--stop-after-steps %d); resume with --resume %s%n",
                nodeLabel(world), stop.position.globalStep(), stopAfterSteps,
                runDir != null ? runDir.path() : outDir != null ? outDir : "RUN_DIR");
            return 0;
        }
        catch (final RuntimeException ex)
        {
            final TrainingPosition at = trainer != null ? trainer.position() :
                checkpoint != null ? checkpoint.position() : TrainingPosition.START;
            final Path last = LastGoodCheckpoint.choose(listener != null ? listener.lastWritten() : null, shared,
                checkpoint != null ? resume.resolve(Checkpoint.FILE) : null,
                checkpoint != null ? checkpoint.position().globalStep() : 0, started);
            return NodeFailure.report(ex, at, trainer != null ? trainer.phase() : TrainingPhase.TRAINING,
                last == null ? null : last.toAbsolutePath(), spec.commandLine().getErr());
        }
        finally
        {
            if (trainer != null)
            {
                trainer.close();
            }
        }
    }

    /**
     * The configuration with the job's node count: WORLD_SIZE / SLURM_NTASKS give it when cluster.nodes was
     * not set (in the YAML or by --set); loaded again with it, so every check sees the real count.
     */
    private TrainConfig withJobNodes(final TrainConfig config)
    {
        final boolean explicit = ConfigLoader.setsKey(configFile, overrides, "cluster.nodes");
        final int nodes = WorldResolver.resolve(config.cluster(), System.getenv(), explicit).nodes();
        if (nodes == config.cluster().nodes())
        {
            return config;
        }
        final List<String> withNodes = new ArrayList<>(overrides);
        withNodes.add("cluster.nodes=" + nodes);
        return ConfigLoader.load(configFile, withNodes);
    }

    private void restore(final Trainer trainer, final Checkpoint checkpoint, final TrainConfig config,
        final int trainExamples)
    {
        checkpoint.checkMatches(resume, config, trainer.numParams(), trainExamples);
        try
        {
            trainer.resume(checkpoint.position(), checkpoint.model(), checkpoint.states());
        }
        catch (final ModelException ex)
        {
            throw new ConfigException("--resume " + resume, "", Checkpoint.FILE + ": " + ex.getMessage());
        }
        final TrainingPosition at = checkpoint.position();
        stdout.printf("resumed: %s at epoch %d step %d (global step %d)%n", resume.resolve(Checkpoint.FILE),
            at.epoch() + 1, at.step() + 1, at.globalStep());
    }

    /** Every node prints it, naming itself when it is one of several. */
    private void printDone(final World world, final TrainResult result)
    {
        stdout.printf("done: %s%d epochs, %d steps, test accuracy %.4f, %.0f samples/s, train time %s, " +
            "step ms p50 %.1f p90 %.1f p99 %.1f max %.1f, replicas identical (checksum %08x)%n", nodeLabel(world),
            result.epochs(), result.steps(), result.testAccuracy(), result.samplesPerSec(),
            ProgressLine.duration(result.trainSeconds()), result.stepMs().p50(), result.stepMs().p90(),
            result.stepMs().p99(), result.stepMs().max(), result.paramChecksum());
    }

    private static String nodeLabel(final World world)
    {
        return world.isSingle() ? "" : "node " + world.rank() + " of " + world.nodes() + ", ";
    }

    private static String worldLine(final World world, final ClusterConfig cluster)
    {
        if (world.isSingle())
        {
            return "world: node 0 of 1 (single node, no transport)";
        }
        final int rings = cluster.rings();
        return String.format("world: node %d of %d (local rank %d), scheme %s, master %s:%d%s, job %s",
            world.rank(), world.nodes(), world.localRank(), cluster.scheme(), world.masterHost(), world.masterPort(),
            rings > 1 ? " (ports " + world.masterPort() + ".." + (world.masterPort() + rings - 1) + ")" : "",
            world.jobId());
    }
}
