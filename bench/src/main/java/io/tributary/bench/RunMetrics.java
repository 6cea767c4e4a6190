package io.tributary.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the benchmarks read from one run directory: node 0's metrics.json (samples/s, step percentiles, the share of
 * the step spent in the inter-node reduce, bytes on the wire per step, test accuracy) and the load average the
 * bench script recorded when the run ended.
 */
public final class RunMetrics
{
    private final JsonNode metrics;
    private final Path dir;

    private RunMetrics(final JsonNode metrics, final Path dir)
    {
        this.metrics = metrics;
        this.dir = dir;
    }

    public static RunMetrics read(final Path runDir) throws IOException
    {
        final Path file = runDir.resolve("metrics.json");
        if (!Files.isRegularFile(file))
        {
            throw new IOException(file + " is missing: did that case's run fail?");
        }
        return new RunMetrics(new ObjectMapper().readTree(file.toFile()), runDir);
    }

    public JsonNode json()
    {
        return metrics;
    }

    public double samplesPerSec()
    {
        return metrics.path("samples_per_sec").asDouble(Double.NaN);
    }

    public double testAccuracy()
    {
        return metrics.path("test_accuracy").asDouble(Double.NaN);
    }

    public double stepMs(final String percentile)
    {
        return metrics.path("step_ms").path(percentile).asDouble(Double.NaN);
    }

    /**
     * Mean time in the inter-node reduce over mean step time, as node 0 measured them (every step records both, so
     * this is total over total). Under overlap the inter-node phase is the wait after backprop: the communication
     * that was not hidden. 0 for a single node, which communicates with no one.
     */
    public double commShare()
    {
        return interMeanMs() / stepMs("mean");
    }

    public double interMeanMs()
    {
        return node0().path("phase_ms").path("inter_reduce").path("mean").asDouble(0);
    }

    public double commP50Ms()
    {
        return node0().path("comm_ms").path("p50").asDouble(0);
    }

    /** Frame bytes (headers included) node 0 sent per step over all its rings, control traffic included. */
    public double sentBytesPerStep()
    {
        return node0().path("bytes_sent").asDouble() / metrics.path("steps").asDouble();
    }

    /** Node 0's mean of a compression quantity ({@code density}, {@code ratio}, ...), NaN when not measured. */
    public double compressionMean(final String key)
    {
        final JsonNode stats = node0().path("compression").path(key);
        return stats.isMissingNode() ? Double.NaN : stats.path("mean").asDouble(Double.NaN);
    }

    /** The 1-minute load average the bench recorded when the case ended; empty when absent. */
    public String load() throws IOException
    {
        final Path file = dir.resolve("load1m");
        return Files.isRegularFile(file) ? Files.readString(file).trim() : "";
    }

    private JsonNode node0()
    {
        return metrics.path("nodes").path(0);
    }

    public static double round(final double value, final int digits)
    {
        final double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
