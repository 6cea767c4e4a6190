package io.tributary.bench.singlenode;

import io.tributary.bench.BenchTable;
import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.ExampleSetIterator;
import io.tributary.trainer.data.MemoryExampleSet;
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
    private static final int WARM_UP_BATCHES = 40;
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
        (com.sun.management.OperatingSystemMXBean)java.lang.management.ManagementFactory.getOperatingSystemMXBean();

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
        warmUp(base, data);
        final Contender[] contenders = contenders(base, data);
        // Epochs interleave round-robin, starting one further each epoch, so load from other processes on
        // this shared machine falls on every contender alike.
        final double[] seconds = new double[contenders.length];
        final double[] cpuSeconds = new double[contenders.length];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int k = 0; k < contenders.length; k++)
            {
                final int c = (k + epoch) % contenders.length;
                final long cpuStart = PROCESS.getProcessCpuTime();
                final long start = System.nanoTime();
                contenders[c].trainEpoch(epoch);
                seconds[c] += (System.nanoTime() - start) / 1e9;
                cpuSeconds[c] += (PROCESS.getProcessCpuTime() - cpuStart) / 1e9;
            }
            System.out.printf("  epoch %d/%d done%n", epoch + 1, epochs);
        }
        final Measure[] measures = new Measure[contenders.length];
        for (int c = 0; c < contenders.length; c++)
        {
            measures[c] = done(contenders[c].name(), (long)data.train().size() * epochs, seconds[c], cpuSeconds[c],
                contenders[c].accuracy());
            contenders[c].close();
        }

        // The 1-minute load average when training ends: other processes on this shared machine.
        final double load = Math.round(PROCESS.getSystemLoadAverage() * 100) / 100.0;
        System.out.printf("  load average (1 min) at the end: %.2f on %d cores%n", load, Runtime.getRuntime().availableProcessors());
        final BenchTable table = new BenchTable("single-node");
        final Measure plain = measures[0];
        final Measure wrapper = measures[1];
        row(table, "dl4j-fit", 1, batch, batch, epochs, plain, plain, wrapper, load);
        row(table, "parallel-wrapper", PW_WORKERS, batch, batch * PW_WORKERS, epochs, wrapper, plain, wrapper, load);
        row(table, "tributary-1", 1, batch, batch, epochs, measures[2], plain, wrapper, load);
        row(table, "tributary-2", 2, batch, batch, epochs, measures[3], plain, wrapper, load);
        table.finish();
    }

    /** samplesPerCpuSec: samples per second of CPU time the whole process used, a load-independent cost. */
    /** One short epoch of every contender on a slice of the data, so no timed contender pays for JIT warm-up. */
    private static void warmUp(final TrainConfig base, final TrainTest data) throws Exception
    {
        final int rows = Math.min(data.train().size(), WARM_UP_BATCHES * base.run().batchSize());
        final ExampleSet train = data.train();
        final float[] x = new float[rows * train.numFeatures()];
        final int[] y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int f = 0; f < train.numFeatures(); f++)
            {
                x[i * train.numFeatures() + f] = train.feature(i, f);
            }
            y[i] = train.label(i);
        }
        final TrainTest slice = new TrainTest(new MemoryExampleSet(x, y, train.numFeatures(), train.numClasses()), data.test());
        for (final Contender c : contenders(base, slice))
        {
            c.trainEpoch(0);
            c.close();
        }
    }

    private static Contender[] contenders(final TrainConfig base, final TrainTest data)
    {
        return new Contender[]{
            new PlainFit(base, data), new Wrapper(base, data), new Tributary(base, data, 1), new Tributary(base, data, 2) };
    }

    private record Measure(double samplesPerSec, double samplesPerCpuSec, double accuracy, double seconds)
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
        final int effectiveBatch, final int epochs, final Measure m, final Measure plain, final Measure wrapper,
        final double load)
    {
        final Map<String, Object> row = table.row();
        row.put("trainer", name);
        row.put("workers", workers);
        row.put("batch", batch);
        row.put("effective_batch", effectiveBatch);
        row.put("epochs", epochs);
        row.put("train_s", m.seconds);
        row.put("samples_per_sec", m.samplesPerSec);
        row.put("samples_per_cpu_s", m.samplesPerCpuSec);
        row.put("test_accuracy", m.accuracy);
        row.put("x_dl4j_fit", m.samplesPerSec / plain.samplesPerSec);
        row.put("x_parallel_wrapper", m.samplesPerSec / wrapper.samplesPerSec);
        row.put("cpu_x_dl4j_fit", m.samplesPerCpuSec / plain.samplesPerCpuSec);
        row.put("load_avg", load);
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

    private static Measure done(final String name, final long samples, final double seconds, final double cpuSeconds,
        final double accuracy)
    {
        final Measure m = new Measure(samples / seconds, samples / cpuSeconds, accuracy, seconds);
        System.out.printf("  %-17s %8.0f samples/s  %8.0f samples/cpu-s  test accuracy %.4f  (%.1f s)%n", name,
            m.samplesPerSec, m.samplesPerCpuSec, accuracy, seconds);
        return m;
    }
}
