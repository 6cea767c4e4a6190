package io.tributary.bench.strategies;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.bench.BenchTable;
import io.tributary.bench.RunMetrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One row per step-level strategy case (2 nodes x 1 device), read from node 0's metrics.json: samples/s over the
 * training steps, step time p50, the communication share (mean inter-node reduce over mean step, as the compression
 * report computes it; async's exchange runs outside the step, so its share is 0 and its cost shows in samples/s), the
 * bytes node 0 sent per step, the mean staleness node 0 saw (async only), the final test accuracy, the train seconds (evaluation excluded) of the first point of the
 * accuracy curve at or above {@value #TARGET} (nothing interpolated; "-" when never), and the ratios: samples/s over
 * the loopback sync case, and time to {@value #TARGET} over the sync case on the same link, both measured in this
 * invocation.
 * <p>
 * Arguments: quadruples {@code LABEL STRATEGY LINK RUN_DIR}; the loopback sync case comes first, and each link's
 * sync case before that link's other cases.
 */
public final class StrategiesReport
{
    static final double TARGET = 0.85;

    private StrategiesReport()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 4 || args.length % 4 != 0 || !"sync".equals(args[1]))
        {
            System.err.println("usage: StrategiesReport LABEL STRATEGY LINK RUN_DIR [...] (loopback sync first)");
            System.exit(2);
        }
        final BenchTable table = new BenchTable("strategies");
        final RunMetrics loopbackSync = RunMetrics.read(Path.of(args[3]));
        final Map<String, Double> syncTimeByLink = new HashMap<>();
        for (int i = 0; i < args.length; i += 4)
        {
            final String strategy = args[i + 1];
            final String link = args[i + 2];
            final RunMetrics run = RunMetrics.read(Path.of(args[i + 3]));
            final double time = secondsTo(run.json().path("accuracy_curve"), TARGET);
            if ("sync".equals(strategy))
            {
                syncTimeByLink.putIfAbsent(link, time);
            }
            final double syncTime = syncTimeByLink.getOrDefault(link, Double.NaN);
            final Map<String, Object> row = table.row();
            row.put("case", args[i]);
            row.put("strategy", strategy);
            row.put("link", link);
            row.put("samples_per_sec", RunMetrics.round(run.samplesPerSec(), 1));
            row.put("step_ms_p50", RunMetrics.round(run.stepMs("p50"), 2));
            row.put("comm_share", RunMetrics.round(run.commShare(), 3));
            row.put("wire_kb_per_step", RunMetrics.round(run.sentBytesPerStep() / 1024, 1));
            final JsonNode staleness = run.json().path("nodes").path(0).path("strategy").path("staleness_steps");
            row.put("staleness_mean", staleness.isMissingNode() ? "-" :
                RunMetrics.round(staleness.path("mean").asDouble(), 2));
            row.put("test_accuracy", RunMetrics.round(run.testAccuracy(), 4));
            row.put("s_to_0.85", Double.isNaN(time) ? "-" : RunMetrics.round(time, 1));
            row.put("sps_vs_loopback_sync", RunMetrics.round(run.samplesPerSec() / loopbackSync.samplesPerSec(), 3));
            row.put("time_vs_sync_same_link", Double.isNaN(time) || Double.isNaN(syncTime) ? "-"
                : RunMetrics.round(time / syncTime, 3));
            row.put("load_1m", run.load());
        }
        table.finish();
    }

    /** The train seconds of the first curve point with accuracy >= {@code target}; NaN when none reaches it. */
    static double secondsTo(final JsonNode curve, final double target)
    {
        for (final JsonNode point : curve)
        {
            if (point.path("accuracy").asDouble() >= target)
            {
                return point.path("train_seconds").asDouble();
            }
        }
        return Double.NaN;
    }
}
