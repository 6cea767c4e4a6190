package io.tributary.trainer.cli;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.model.TrainableModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code tributary train CONFIG.yaml [--set key.path=value ...] [--out DIR]}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the model a YAML configuration describes, on this node's devices.",
    footer = { "", "Example: tributary train configs/fashion-mlp.yaml --set run.epochs=1 --set cluster.devices=3" })
final class TrainCommand implements Callable<Integer>
{
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "the run configuration")
    private Path configFile;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
        description = "override one configuration key, e.g. run.epochs=1 or model.hidden=[64,32]; repeatable")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
        description = "run directory for model.zip, metrics.json and config.yaml (default: run.out/NAME-TIMESTAMP)")
    private Path out;

    @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "5",
        description = "seconds between progress lines (default: ${DEFAULT-VALUE})")
    private int progressSeconds;

    private final PrintStream stdout;

    TrainCommand(final PrintStream stdout)
    {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws IOException
    {
        final TrainConfig config = ConfigLoader.load(configFile, overrides);
        final TrainTest data = DataSource.of(config.data()).load();
        stdout.printf("data: %s, %d train / %d test examples, %d features, %d classes%n",
            config.data().kind().name().toLowerCase().replace('_', '-'), data.train().size(), data.test().size(),
            data.train().numFeatures(), data.train().numClasses());

        try (Trainer trainer = new Trainer(config, data))
        {
            final RunDirectory runDir = RunDirectory.create(config, out);
            runDir.writeConfig(config);
            stdout.printf("model: %s, %d parameters; %d %s device(s) x %d thread(s); global batch %d, %d steps/epoch%n",
                config.model().kind().name().toLowerCase(), trainer.numParams(), config.cluster().devices(),
                config.cluster().backend(), trainer.threadsPerDevice(), config.run().batchSize(), trainer.stepsPerEpoch());
            final ProgressLine progress = new ProgressLine(stdout, config.run().epochs(),
                TimeUnit.SECONDS.toNanos(Math.max(1, progressSeconds)));
            final TrainResult result = trainer.train(checkpointing(progress, config, runDir));
            runDir.writeModel(result.model(), RunDirectory.MODEL);
            runDir.writeMetrics(result, trainer.threadsPerDevice());
            stdout.printf("done: %d epochs, %d steps, test accuracy %.4f, %.0f samples/s, train time %s, " +
                "step ms p50 %.1f p90 %.1f p99 %.1f max %.1f, replicas identical (checksum %08x)%n",
                result.epochs(), result.steps(), result.testAccuracy(), result.samplesPerSec(),
                ProgressLine.duration(result.trainSeconds()), result.stepMs().p50(), result.stepMs().p90(),
                result.stepMs().p99(), result.stepMs().max(), result.paramChecksum());
            stdout.println("run directory: " + runDir.path() + " (" + RunDirectory.MODEL + ", " + RunDirectory.METRICS +
                ", " + RunDirectory.CONFIG + ")");
        }
        return 0;
    }

    private static TrainingListener checkpointing(final ProgressLine progress, final TrainConfig config,
        final RunDirectory runDir)
    {
        final int every = config.run().checkpointEvery();
        return new TrainingListener()
        {
            @Override
            public void onStep(final int epoch, final int step, final int stepsPerEpoch, final long samples,
                final long trainNanos, final double loss)
            {
                progress.onStep(epoch, step, stepsPerEpoch, samples, trainNanos, loss);
            }

            @Override
            public void onEpochEnd(final int epoch, final double accuracy, final TrainableModel model)
            {
                progress.onEpochEnd(epoch, accuracy, model);
                if (every > 0 && (epoch + 1) % every == 0 && epoch + 1 < config.run().epochs())
                {
                    try
                    {
                        runDir.writeModel(model, "checkpoint-epoch-" + (epoch + 1) + ".zip");
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                }
            }
        };
    }
}
