package io.tributary.bench.singlenode;

import io.tributary.bench.BenchTable;
import io.tributary.trainer.TrainResult;
import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;
import io.tributary.trainer.data.ExampleSetIterator;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.replica.ThreadBudget;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node, one data set, one model, one global batch, four trainers in one run: plain DL4J {@code fit},
 * DL4J's ParallelWrapper (2 workers, AVERAGING every step), and Tributary on 1 and 2 devices. Reports
 * training samples/s (evaluation excluded), test accuracy after the same epochs, and ratios.
 *
 * <p>Usage: SingleNodeBench [--quick] [--config FILE] [--set key=value ...]
 */
public final class SingleNodeBench
{
    private static final int PW_WORKERS = 2;

    private SingleNodeBench()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        boolean quick = false;
        Path configFile = Path.of(System.getenv().getOrDefault("BENCH_ROOT", "."), "configs", "fashion-mlp.yaml");
        final List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--quick" -> quick = true;
                case "--config" -> configFile = Path.of(args[++i]);
                case "--set" -> overrides.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] +
                    "; usage: single-node [--quick] [--config FILE] [--set key=value ...]");
            }
        }
        if (quick)
        {
            overrides.add(0, "run.epochs=1");
        }
        overrides.add("run.eval_each_epoch=false");
        final TrainConfig base = ConfigLoader.load(configFile, overrides);
        final TrainTest data = DataSource.of(base.data()).load();
        final int epochs = base.run().epochs();
        final int batch = base.run().batchSize();
        System.out.printf("single-node: %s, %s, batch %d, %d epoch(s), %d train / %d test examples, OMP_NUM_THREADS=%s%n",
            configFile.getFileName(), base.model().kind().name().toLowerCase(), batch, epochs, data.train().size(),
            data.test().size(), System.getenv("OMP_NUM_THREADS"));

        final BenchTable table = new BenchTable("single-node");
        final Measure plain = plainFit(base, data);
        final Measure wrapper = parallelWrapper(base, data);
        final Measure one = tributary(base, data, 1);
        final Measure two = tributary(base, data, 2);

        row(table, "dl4j-fit", 1, batch, batch, epochs, plain, plain, wrapper);
        row(table, "parallel-wrapper", PW_WORKERS, batch, batch * PW_WORKERS, epochs, wrapper, plain, wrapper);
        row(table, "tributary-1", 1, batch, batch, epochs, one, plain, wrapper);
        row(table, "tributary-2", 2, batch, batch, epochs, two, plain, wrapper);
        table.finish();
    }

    private record Measure(double samplesPerSec, double accuracy, double seconds)
    {
    }

    private static void row(final BenchTable table, final String name, final int workers, final int batch,
        final int effectiveBatch, final int epochs, final Measure m, final Measure plain, final Measure wrapper)
    {
        final Map<String, Object> row = table.row();
        row.put("trainer", name);
        row.put("workers", workers);
        row.put("batch", batch);
        row.put("effective_batch", effectiveBatch);
        row.put("epochs", epochs);
        row.put("train_s", m.seconds);
        row.put("samples_per_sec", m.samplesPerSec);
        row.put("test_accuracy", m.accuracy);
        row.put("x_dl4j_fit", m.samplesPerSec / plain.samplesPerSec);
        row.put("x_parallel_wrapper", m.samplesPerSec / wrapper.samplesPerSec);
    }

    private static MultiLayerNetwork freshNet(final TrainConfig config, final TrainTest data)
    {
        return (MultiLayerNetwork)ModelFactory.create(config.model(), config.optimizer(), config.run().seed(),
            data.train().numFeatures(), data.train().numClasses()).dl4jModel();
    }

    private static Measure plainFit(final TrainConfig config, final TrainTest data)
    {
        ThreadBudget.apply(1);
        final MultiLayerNetwork net = freshNet(config, data);
        final ExampleSetIterator train = new ExampleSetIterator(data.train(), config.run().batchSize(), config.run().seed(), true);
        final long start = System.nanoTime();
        for (int e = 0; e < config.run().epochs(); e++)
        {
            net.fit(train);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return done("dl4j-fit", (long)data.train().size() * config.run().epochs(), seconds, accuracy(net, data));
    }

    private static Measure parallelWrapper(final TrainConfig config, final TrainTest data) throws Exception
    {
        ThreadBudget.apply(PW_WORKERS);
        final MultiLayerNetwork net = freshNet(config, data);
        final ExampleSetIterator train = new ExampleSetIterator(data.train(), config.run().batchSize(), config.run().seed(), true);
        final double seconds;
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net)
            .workers(PW_WORKERS)
            .prefetchBuffer(2)
            .averagingFrequency(1)
            .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
            .build())
        {
            final long start = System.nanoTime();
            for (int e = 0; e < config.run().epochs(); e++)
            {
                wrapper.fit(train);
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        return done("parallel-wrapper", (long)data.train().size() * config.run().epochs(), seconds, accuracy(net, data));
    }

    private static Measure tributary(final TrainConfig base, final TrainTest data, final int devices)
    {
        final TrainConfig config = new TrainConfig(base.name(), base.model(), base.data(), base.optimizer(), base.strategy(),
            new io.tributary.trainer.config.ClusterConfig(base.cluster().backend(), devices, 1), base.run());
        try (Trainer trainer = new Trainer(config, data))
        {
            final TrainResult result = trainer.train(TrainingListener.NONE);
            return done("tributary-" + devices, result.samples(), result.trainSeconds(), result.testAccuracy());
        }
    }

    private static double accuracy(final MultiLayerNetwork net, final TrainTest data)
    {
        return net.evaluate(new ExampleSetIterator(data.test(), 500, 0, false)).accuracy();
    }

    private static Measure done(final String name, final long samples, final double seconds, final double accuracy)
    {
        final Measure m = new Measure(samples / seconds, accuracy, seconds);
        System.out.printf("  %-17s %8.0f samples/s  test accuracy %.4f  (%.1f s)%n", name, m.samplesPerSec, accuracy, seconds);
        return m;
    }
}
