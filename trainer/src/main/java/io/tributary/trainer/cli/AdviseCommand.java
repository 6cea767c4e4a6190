package io.tributary.trainer.cli;

import io.tributary.trainer.compare.Advisor;
import io.tributary.trainer.compare.ComparePlan;
import io.tributary.trainer.compare.LinkSpec;
import io.tributary.trainer.compare.StepModel;
import io.tributary.trainer.compare.StrategyRegistry;
import io.tributary.trainer.config.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tributary advise CONFIG.yaml --link 1gbit [--nodes N]}: predicts which strategy trains fastest on that
 * link without running the comparison. It measures one short synchronous job on loopback and each codec's cost
 * ({@link Advisor}), models every strategy's step ({@link StepModel}) and prints the ranking with its numbers.
 */
@Command(name = "advise", mixinStandardHelpOptions = true,
    description = "Predict the fastest strategy for the configuration on N nodes over a link.",
    footer = { "", "Example: tributary advise configs/compare-fashion.yaml --link 1gbit" })
final class AdviseCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "the run configuration")
    private Path configFile;

    @Mixin
    private MatrixOptions matrix = new MatrixOptions();

    private final PrintStream stdout;

    AdviseCommand(final PrintStream stdout)
    {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws IOException
    {
        final LinkSpec linkSpec = LinkSpec.parse(matrix.link, null);
        final int jobNodes = matrix.nodes(configFile);
        final TrainConfig config = matrix.load(configFile, jobNodes);
        final int runEpochs = matrix.epochs(config);
        final ComparePlan plan = ComparePlan.of(config, matrix.strategyList(), jobNodes, null, runEpochs, 1, Double.NaN);
        final Path dir = Files.createTempDirectory("tributary-advise");
        stdout.println("tributary advise: measuring " + Advisor.MEASURED_STEPS + " sync steps of " + jobNodes +
            " nodes on loopback, then each codec");
        final Advisor.JobMeasurement job = Advisor.measureJob(configFile, matrix.overrides, jobNodes, dir.resolve("job"));
        final Map<String, StepModel.CodecCost> codecs = Advisor.measureCodecs(config.strategy(),
            (int)job.numParams());
        final StepModel model = new StepModel(job.nodeStepMs(), job.reduceMs(), job.numParams(), codecs);
        stdout.println(String.format(Locale.ROOT, "measured: a node's step %.2f ms without the reduce, the fp32 " +
            "reduce on loopback %.2f ms, %,d parameters; link %s", job.nodeStepMs(), job.reduceMs(), job.numParams(),
            linkSpec.describe()));
        final List<StepModel.Prediction> predictions = new ArrayList<>();
        for (final String strategy : plan.strategies())
        {
            predictions.add(model.predict(strategy, StrategyRegistry.overrides(strategy, plan.stepsPerEpoch()),
                jobNodes, linkSpec, config.run().batchSize(), 1.0 / runEpochs));
        }
        final List<StepModel.Prediction> ranked = StepModel.ranked(predictions);
        stdout.println("| rank | strategy | step ms | reduce ms | KiB sent/step | samples/s |");
        stdout.println("|---:|---|---:|---:|---:|---:|");
        for (int i = 0; i < ranked.size(); i++)
        {
            final StepModel.Prediction p = ranked.get(i);
            stdout.println(String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f | %,.1f | %,.0f |", i + 1, p.strategy(),
                p.stepMs(), p.reduceMs(), p.bytesPerStep() / 1024, p.samplesPerSec()));
        }
        stdout.println("advice: " + ranked.get(0).strategy() + " (predicted " +
            String.format(Locale.ROOT, "%,.0f", ranked.get(0).samplesPerSec()) + " samples/s on " + jobNodes +
            " nodes over " + linkSpec.describe() + ")");
        stdout.println("The ranking is by speed. Codecs other than fp16 and bf16, ssp and async change what each step " +
            "learns: tributary compare measures whether they still reach your accuracy.");
        return 0;
    }
}
