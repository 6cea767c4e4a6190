package io.tributary.bench.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.bench.BenchTable;

import java.io.IOException;
import java.nio.file.Files;
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
            final JsonNode metrics = read(Path.of(args[i + 2], "metrics.json"));
            final double samplesPerSec = metrics.path("samples_per_sec").asDouble(Double.NaN);
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
            row.put("samples_per_sec", round(samplesPerSec, 1));
            row.put("step_ms_p50", round(metrics.path("step_ms").path("p50").asDouble(Double.NaN), 2));
            row.put("comm_share", round(commShare(metrics), 3));
            row.put("comm_ms_p50", round(commP50(metrics), 2));
            row.put("speedup_vs_1x1", round(speedup, 3));
            row.put("efficiency", round(speedup / (nodes * devices), 3));
            if (rate.length == 2)
            {
                final double boundMs = sentBytesPerStep(metrics) * 8 / (Double.parseDouble(rate[1]) * 1e6) * 1000;
                row.put("link_mbit", Double.parseDouble(rate[1]));
                row.put("comm_bound_ms", round(boundMs, 2));
                row.put("comm_vs_bound", round(interMeanMs(metrics) / boundMs, 3));
            }
            row.put("load_1m", load(Path.of(args[i + 2], "load1m")));
            row.put("test_accuracy", round(metrics.path("test_accuracy").asDouble(Double.NaN), 4));
        }
        table.finish();
    }

    /**
     * Mean time in the inter-node reduce over mean step time, as node 0 measured them (every step records
     * both, so this is total over total). 0 for a single node, which communicates with no one.
     */
    static double commShare(final JsonNode metrics)
    {
        return interMeanMs(metrics) / metrics.path("step_ms").path("mean").asDouble(Double.NaN);
    }

    static double interMeanMs(final JsonNode metrics)
    {
        return metrics.path("nodes").path(0).path("phase_ms").path("inter_reduce").path("mean").asDouble(0);
    }

    /** Frame bytes (headers included) node 0 sent per step over all its rings. */
    static double sentBytesPerStep(final JsonNode metrics)
    {
        return metrics.path("nodes").path(0).path("bytes_sent").asDouble() / metrics.path("steps").asDouble();
    }

    static double commP50(final JsonNode metrics)
    {
        return metrics.path("nodes").path(0).path("comm_ms").path("p50").asDouble(0);
    }

    /** The 1-minute load average the bench recorded when the case ended; empty when absent. */
    private static String load(final Path file) throws IOException
    {
        return Files.isRegularFile(file) ? Files.readString(file).trim() : "";
    }

    private static JsonNode read(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new IOException(file + " is missing: did that case's run fail?");
        }
        return new ObjectMapper().readTree(file.toFile());
    }

    private static double round(final double value, final int digits)
    {
        final double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
