package io.tributary.bench.scaling;

import io.tributary.bench.BenchTable;
import io.tributary.bench.RunMetrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the metrics.json of each scaling case (written by node 0 of a `tributary train` or `launch` run) and
 * prints samples/s, the share of step time spent reducing across nodes, the speedup over 1 node x 1 device
 * measured in the same bench run, and the scaling efficiency: speedup / (nodes x devices).
 * <p>
 * Arguments: triples {@code LABEL NODESxDEVICES[@MBIT] RUN_DIR}; the first case must be 1x1, the baseline.
 * With {@code @MBIT}, the link rate of a shaped case, the row also gives the bandwidth bound of its reduce:
 * the bytes node 0 sent per step at that rate, and the measured reduce time over that bound.
 */
public final class ScalingReport
{
    private ScalingReport()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 3 || args.length % 3 != 0)
        {
            System.err.println("usage: ScalingReport LABEL NxD RUN_DIR [LABEL NxD RUN_DIR ...] (first case 1x1)");
            System.exit(2);
        }
        final BenchTable table = new BenchTable("scaling");
        double baseline = Double.NaN;
        for (int i = 0; i < args.length; i += 3)
        {
            final String[] rate = args[i + 1].split("@");
            final String[] shape = rate[0].split("x");
            final int nodes = Integer.parseInt(shape[0]);
            final int devices = Integer.parseInt(shape[1]);
            final RunMetrics metrics = RunMetrics.read(Path.of(args[i + 2]));
            final double samplesPerSec = metrics.samplesPerSec();
            if (i == 0)
            {
                if (nodes * devices != 1)
                {
                    throw new IllegalArgumentException("the first case must be the 1x1 baseline, got " + args[i + 1]);
                }
                baseline = samplesPerSec;
            }
            final double speedup = samplesPerSec / baseline;
            final Map<String, Object> row = table.row();
            row.put("case", args[i]);
            row.put("nodes", nodes);
            row.put("devices", devices);
            row.put("samples_per_sec", RunMetrics.round(samplesPerSec, 1));
            row.put("step_ms_p50", RunMetrics.round(metrics.stepMs("p50"), 2));
            row.put("comm_share", RunMetrics.round(metrics.commShare(), 3));
            row.put("comm_ms_p50", RunMetrics.round(metrics.commP50Ms(), 2));
            row.put("speedup_vs_1x1", RunMetrics.round(speedup, 3));
            row.put("efficiency", RunMetrics.round(speedup / (nodes * devices), 3));
            if (rate.length == 2)
            {
                final double boundMs = metrics.sentBytesPerStep() * 8 / (Double.parseDouble(rate[1]) * 1e6) * 1000;
                row.put("link_mbit", Double.parseDouble(rate[1]));
                row.put("comm_bound_ms", RunMetrics.round(boundMs, 2));
                row.put("comm_vs_bound", RunMetrics.round(metrics.interMeanMs() / boundMs, 3));
            }
            row.put("load_1m", metrics.load());
            row.put("test_accuracy", RunMetrics.round(metrics.testAccuracy(), 4));
        }
        table.finish();
    }
}
