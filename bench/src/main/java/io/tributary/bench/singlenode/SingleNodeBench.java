package io.tributary.bench.singlenode;

import io.tributary.bench.BenchTable;
import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
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
 * training samples/s (evaluation excluded), test accuracy after the same epochs, and ratios. Epochs of the
 * four interleave, so a change in background load does not favour one of them.
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

        ThreadBudget.apply(2);
        final Contender[] contenders = {
            new PlainFit(base, data), new Wrapper(base, data), new Tributary(base, data, 1), new Tributary(base, data, 2) };
        // Epochs interleave round-robin, starting one further each epoch, so load from other processes on
        // this shared machine falls on every contender alike.
        final double[] seconds = new double[contenders.length];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int k = 0; k < contenders.length; k++)
            {
                final int c = (k + epoch) % contenders.length;
                final long start = System.nanoTime();
                contenders[c].trainEpoch(epoch);
                seconds[c] += (System.nanoTime() - start) / 1e9;
            }
            System.out.printf("  epoch %d/%d done%n", epoch + 1, epochs);
        }
        final Measure[] measures = new Measure[contenders.length];
        for (int c = 0; c < contenders.length; c++)
        {
            measures[c] = done(contenders[c].name(), (long)data.train().size() * epochs, seconds[c], contenders[c].accuracy());
            contenders[c].close();
        }

        final BenchTable table = new BenchTable("single-node");
        final Measure plain = measures[0];
        final Measure wrapper = measures[1];
        row(table, "dl4j-fit", 1, batch, batch, epochs, plain, plain, wrapper);
        row(table, "parallel-wrapper", PW_WORKERS, batch, batch * PW_WORKERS, epochs, wrapper, plain, wrapper);
        row(table, "tributary-1", 1, batch, batch, epochs, measures[2], plain, wrapper);
        row(table, "tributary-2", 2, batch, batch, epochs, measures[3], plain, wrapper);
        table.finish();
    }

    private record Measure(double samplesPerSec, double accuracy, double seconds)
    {
    }

    /** One way of training, advanced an epoch at a time. */
    private interface Contender extends AutoCloseable
    {
        String name();

        void trainEpoch(int epoch) throws Exception;

        double accuracy();

        @Override
        void close() throws Exception;
    }

    private static final class PlainFit implements Contender
    {
        private final MultiLayerNetwork net;
        private final ExampleSetIterator train;
        private final TrainTest data;

        PlainFit(final TrainConfig config, final TrainTest data)
        {
            this.net = freshNet(config, data);
            this.train = new ExampleSetIterator(data.train(), config.run().batchSize(), config.run().seed(), true);
            this.data = data;
        }

        @Override
        public String name()
        {
            return "dl4j-fit";
        }

        @Override
        public void trainEpoch(final int epoch)
        {
            net.fit(train);
        }

        @Override
        public double accuracy()
        {
            return SingleNodeBench.accuracy(net, data);
        }

        @Override
        public void close()
        {
        }
    }

    /** ParallelWrapper, AVERAGING after every step: each worker fits a whole batch, so 2 batches per average. */
    private static final class Wrapper implements Contender
    {
        private final MultiLayerNetwork net;
        private final ExampleSetIterator train;
        private final TrainTest data;
        private final ParallelWrapper wrapper;

        Wrapper(final TrainConfig config, final TrainTest data)
        {
            this.net = freshNet(config, data);
            this.train = new ExampleSetIterator(data.train(), config.run().batchSize(), config.run().seed(), true);
            this.data = data;
            this.wrapper = new ParallelWrapper.Builder<>(net)
                .workers(PW_WORKERS)
                .prefetchBuffer(2)
                .averagingFrequency(1)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .build();
        }

        @Override
        public String name()
        {
            return "parallel-wrapper";
        }

        @Override
        public void trainEpoch(final int epoch)
        {
            wrapper.fit(train);
        }

        @Override
        public double accuracy()
        {
            return SingleNodeBench.accuracy(net, data);
        }

        @Override
        public void close() throws Exception
        {
            wrapper.close();
        }
    }

    private static final class Tributary implements Contender
    {
        private final Trainer trainer;
        private final TrainTest data;
        private final int devices;

        Tributary(final TrainConfig base, final TrainTest data, final int devices)
        {
            final TrainConfig config = new TrainConfig(base.name(), base.model(), base.data(), base.optimizer(),
                base.strategy(), new ClusterConfig(base.cluster().backend(), devices, 1), base.run());
            this.trainer = new Trainer(config, data);
            this.data = data;
            this.devices = devices;
        }

        @Override
        public String name()
        {
            return "tributary-" + devices;
        }

        @Override
        public void trainEpoch(final int epoch)
        {
            trainer.trainEpoch(epoch, TrainingListener.NONE);
        }

        @Override
        public double accuracy()
        {
            trainer.result();
            return trainer.evaluate(data.test());
        }

        @Override
        public void close()
        {
            trainer.close();
        }
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
