package io.tributary.bench.nodesum;

import io.tributary.bench.BenchTable;
import io.tributary.kernels.CpuGradientKernels;
import io.tributary.trainer.config.OptimizerConfig;
import io.tributary.trainer.data.EpochShuffle;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.SyntheticSource;
import io.tributary.trainer.model.BuiltinModels;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.replica.ThreadBudget;
import io.tributary.trainer.replica.kernels.HostKernelsSum;
import io.tributary.trainer.replica.sync.LocalGradientReducer;
import io.tributary.trainer.replica.sync.NodeGradientSum;
import io.tributary.trainer.replica.sync.SyncStep;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * The synchronous step (MLP 784-512-256-10, Adam, batch 128, 2 devices) with its node sum done by ND4J ops
 * (assign + addi, the former code) or by CpuGradientKernels, in alternating blocks of steps on the same
 * replicas in one JVM, so machine load hits both alike. Round 0 is warm-up and not counted.
 */
public final class NodeSumBench
{
    private static final int DEVICES = 2;
    private static final int BATCH = 128;
    private static final int FEATURES = 784;
    private static final int CLASSES = 10;
    private static final int BLOCK = 60;

    private NodeSumBench()
    {
    }

    /** The former intra-node sum, kept here as the peer. */
    private static final class Nd4jSum implements NodeGradientSum
    {
        @Override
        public void sum(final INDArray[] gradients, final int count, final INDArray target)
        {
            if (count == 0)
            {
                target.assign(0);
                return;
            }
            if (gradients[0] != target)
            {
                target.assign(gradients[0]);
            }
            for (int i = 1; i < count; i++)
            {
                target.addi(gradients[i]);
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final boolean quick = List.of(args).contains("--quick");
        final int rounds = quick ? 8 : 24;
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        ThreadBudget.apply(DEVICES);
        final ExampleSet data = new SyntheticSource(BATCH * BLOCK, 1, FEATURES, CLASSES, 3).load().train();
        final TrainableModel initial = ModelFactory.init(BuiltinModels.mlp(FEATURES, CLASSES, List.of(512, 256), "relu",
            new OptimizerConfig(OptimizerConfig.Kind.ADAM, 1e-3, 0, 0.9), 42));
        final DeviceReplica[] replicas = new DeviceReplica[DEVICES];
        for (int i = 0; i < DEVICES; i++)
        {
            replicas[i] = new DeviceReplica(i, i == 0 ? initial : initial.copy(), BATCH, FEATURES, CLASSES);
        }
        final int[] order = EpochShuffle.order(data.size(), 42, 0);
        System.out.printf("node-sum: MLP %d params, %d devices, batch %d, %d rounds of 2 x %d steps, Vector API %s%n",
            initial.numParams(), DEVICES, BATCH, rounds, BLOCK, CpuGradientKernels.VECTORISED);

        final String[] names = { "nd4j-addi", "gradient-kernels" };
        final double[] cpuMs = new double[2];
        final double[] wallMs = new double[2];
        try (ReplicaThreads threads = new ReplicaThreads(DEVICES, 60_000);
            HostKernelsSum kernels = new HostKernelsSum(new CpuGradientKernels()))
        {
            final SyncStep[] steps = {
                new SyncStep(replicas, threads, new LocalGradientReducer(), new Nd4jSum()),
                new SyncStep(replicas, threads, new LocalGradientReducer(), kernels) };
            for (int round = 0; round < rounds; round++)
            {
                for (int w = 0; w < 2; w++)
                {
                    final long cpu0 = os.getProcessCpuTime();
                    final long t0 = System.nanoTime();
                    for (int i = 0; i < BLOCK; i++)
                    {
                        steps[w].step(data, order, i * BATCH, BATCH, 0);
                    }
                    if (round > 0)
                    {
                        cpuMs[w] += (os.getProcessCpuTime() - cpu0) / 1e6;
                        wallMs[w] += (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
        }
        final double counted = (double)(rounds - 1) * BLOCK;
        final double load = os.getSystemLoadAverage();
        final BenchTable table = new BenchTable("node-sum");
        for (int w = 0; w < 2; w++)
        {
            final Map<String, Object> row = table.row();
            row.put("node_sum", names[w]);
            row.put("vector_api", CpuGradientKernels.VECTORISED);
            row.put("steps", (long)counted);
            row.put("cpu_ms_per_step", cpuMs[w] / counted);
            row.put("wall_ms_per_step", wallMs[w] / counted);
            row.put("cpu_x_nd4j", cpuMs[w] / cpuMs[0]);
            row.put("wall_x_nd4j", wallMs[w] / wallMs[0]);
            row.put("load_avg", load);
        }
        table.finish();
    }
}
