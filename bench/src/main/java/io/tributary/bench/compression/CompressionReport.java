package io.tributary.bench.compression;

import io.tributary.bench.BenchTable;
import io.tributary.bench.RunMetrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One row per compression case (2 nodes x 1 device), read from node 0's metrics.json: bytes sent per step, step
 * time p50/p99, the share of the step spent communicating (under overlap: the part not hidden behind backprop),
 * samples/s, test accuracy, and the ratios to the baseline measured in the same invocation: samples/s over the
 * loopback run with codec none, bytes per step of that run over this one's.
 * <p>
 * Arguments: quadruples {@code LABEL MODEL LINK RUN_DIR}; each model's first loopback case with codec none is its
 * baseline and comes first for that model.
 */
public final class CompressionReport
{
    private CompressionReport()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 4 || args.length % 4 != 0)
        {
            System.err.println("usage: CompressionReport LABEL MODEL LINK RUN_DIR [...] (each model's baseline first)");
            System.exit(2);
        }
        final BenchTable table = new BenchTable("compression");
        final Map<String, RunMetrics> baselines = new HashMap<>();
        for (int i = 0; i < args.length; i += 4)
        {
            final String model = args[i + 1];
            final RunMetrics run = RunMetrics.read(Path.of(args[i + 3]));
            final RunMetrics baseline = baselines.computeIfAbsent(model, m -> run);
            final double bytes = bytesPerStep(run);
            final Map<String, Object> row = table.row();
            row.put("case", args[i]);
            row.put("model", model);
            row.put("link", args[i + 2]);
            row.put("codec", run.json().path("strategy").path("codec").asText());
            row.put("overlap", run.json().path("strategy").path("overlap").asBoolean());
            row.put("bytes_per_step", Math.round(bytes));
            row.put("fewer_bytes_x", RunMetrics.round(bytesPerStep(baseline) / bytes, 1));
            row.put("density", RunMetrics.round(run.compressionMean("density"), 4));
            row.put("step_ms_p50", RunMetrics.round(run.stepMs("p50"), 2));
            row.put("step_ms_p99", RunMetrics.round(run.stepMs("p99"), 2));
            row.put("comm_share", RunMetrics.round(run.commShare(), 3));
            row.put("samples_per_sec", RunMetrics.round(run.samplesPerSec(), 1));
            row.put("vs_loopback_none", RunMetrics.round(run.samplesPerSec() / baseline.samplesPerSec(), 3));
            row.put("test_accuracy", RunMetrics.round(run.testAccuracy(), 4));
            row.put("load_1m", run.load());
        }
        table.finish();
    }

    /** The codec telemetry's mean bytes sent per step (node 0); the transport's total over steps without it. */
    private static double bytesPerStep(final RunMetrics run)
    {
        final double telemetry = run.compressionMean("wire_bytes_per_step");
        return Double.isNaN(telemetry) ? run.sentBytesPerStep() : telemetry;
    }
}
