package io.tributary.bench.kernels;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tributary.bench.BenchTable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code bench/run kernels [--quick]}: runs {@link KernelsBenchmark} with JMH and prints GB/s per kernel beside
 * the float[] copy of the same run (table + bench/out/kernels.json). Bytes per element count what a kernel
 * must read and write once: copy 4 + 4, sum of two 4 + 4 + 4, half pack 4 + 2, and so on.
 */
public final class KernelsBench
{
    private static final Map<String, Double> BYTES_PER_ELEMENT = new LinkedHashMap<>();

    static
    {
        BYTES_PER_ELEMENT.put("aCopyArray", 8.0);
        BYTES_PER_ELEMENT.put("sum2", 12.0);
        BYTES_PER_ELEMENT.put("scale", 8.0);
        BYTES_PER_ELEMENT.put("axpy", 12.0);
        BYTES_PER_ELEMENT.put("packHalf", 6.0);
        BYTES_PER_ELEMENT.put("unpackHalf", 6.0);
        BYTES_PER_ELEMENT.put("packBfloat16", 6.0);
        BYTES_PER_ELEMENT.put("unpackBfloat16", 6.0);
        BYTES_PER_ELEMENT.put("quantise8", 5.0 + 4.0 / KernelsBenchmark.BUCKET);
        BYTES_PER_ELEMENT.put("dequantise8", 5.0 + 4.0 / KernelsBenchmark.BUCKET);
        BYTES_PER_ELEMENT.put("thresholdEncode", 4.0);
        BYTES_PER_ELEMENT.put("topK", 4.0);
        BYTES_PER_ELEMENT.put("zCopyArray", 8.0);
    }

    /** The kernels CpuGradientKernels runs on the Vector API when the module is present (it is, in the fork). */
    private static final java.util.Set<String> VECTOR_KERNELS =
        java.util.Set.of("sum2", "scale", "axpy", "packHalf", "unpackHalf", "packBfloat16", "unpackBfloat16");

    private KernelsBench()
    {
    }

    public static void main(final String[] args) throws RunnerException, java.io.IOException
    {
        final boolean quick = args.length > 0 && args[0].equals("--quick");
        final String n = System.getProperty("kernels.n", "16777216");
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(KernelsBenchmark.class.getName() + "\\.")
            .param("n", n)
            .forks(1)
            .jvmArgsAppend("-Xmx1g", "-XX:MaxDirectMemorySize=2g", "--add-modules", "jdk.incubator.vector",
                "-Dtributary.kernels.vector=" + System.getProperty("tributary.kernels.vector", "true"))
            .warmupIterations(quick ? 2 : 4)
            .warmupTime(TimeValue.milliseconds(quick ? 400 : 1000))
            .measurementIterations(quick ? 5 : 8)
            .measurementTime(TimeValue.milliseconds(quick ? 400 : 1000));
        final Collection<RunResult> results = new Runner(options.build()).run();

        final Map<String, Double> micros = new LinkedHashMap<>();
        for (final RunResult r : results)
        {
            micros.put(r.getParams().getBenchmark().replaceAll(".*\\.", ""), r.getPrimaryResult().getScore());
        }
        final double elements = Double.parseDouble(n);
        // The peer: the mean rate of the float[] copies run first and last.
        final double copyGbps = (gbps(8 * elements, micros.get("aCopyArray")) + gbps(8 * elements, micros.get("zCopyArray"))) / 2;
        final BenchTable table = new BenchTable("kernels");
        for (final Map.Entry<String, Double> e : BYTES_PER_ELEMENT.entrySet())
        {
            final Double us = micros.get(e.getKey());
            if (us == null)
            {
                continue;
            }
            final double bytes = elements * e.getValue();
            final Map<String, Object> row = table.row();
            row.put("kernel", e.getKey().equals("aCopyArray") ? "copy float[] (first)" :
                e.getKey().equals("zCopyArray") ? "copy float[] (last)" : e.getKey());
            row.put("path", e.getKey().endsWith("CopyArray") ? "-" :
                VECTOR_KERNELS.contains(e.getKey()) && !"false".equals(System.getProperty("tributary.kernels.vector")) ? "vector" : "scalar");
            row.put("floats", (long)elements);
            row.put("MB_per_call", bytes / 1e6);
            row.put("us_per_call", us);
            row.put("GB_s", gbps(bytes, us));
            row.put("vs_copy", gbps(bytes, us) / copyGbps);
        }
        table.finish();
    }

    private static double gbps(final double bytes, final double micros)
    {
        return bytes / (micros * 1e3);
    }
}
