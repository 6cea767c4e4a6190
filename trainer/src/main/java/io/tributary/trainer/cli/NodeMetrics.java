package io.tributary.trainer.cli;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.metrics.StepStats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node's object in metrics.json: {@code rank, host, bytes_sent, bytes_received, comm_ms, phase_ms,
 * samples_per_sec}; every duration is {@code {p50, p90, p99, max}} in milliseconds.
 */
final class NodeMetrics
{
    private NodeMetrics()
    {
    }

    /** A node alone: no inter-node traffic; its phases are what one step of it took. */
    static Map<String, Object> single(final TrainResult result, final String host)
    {
        return node(0, host, 0, 0, new StepStats(0, 0, 0, 0), Map.of(), result.samplesPerSec());
    }

    static Map<String, Object> node(final int rank, final String host, final long bytesSent, final long bytesReceived,
        final StepStats commMs, final Map<String, StepStats> phaseMs, final double samplesPerSec)
    {
        final Map<String, Object> node = new LinkedHashMap<>();
        node.put("rank", rank);
        node.put("host", host);
        node.put("bytes_sent", bytesSent);
        node.put("bytes_received", bytesReceived);
        node.put("comm_ms", percentiles(commMs));
        final Map<String, Object> phases = new LinkedHashMap<>();
        phaseMs.forEach((phase, stats) -> phases.put(phase, percentiles(stats)));
        node.put("phase_ms", phases);
        node.put("samples_per_sec", samplesPerSec);
        return node;
    }

    static Map<String, Object> percentiles(final StepStats stats)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("p50", stats.p50());
        map.put("p90", stats.p90());
        map.put("p99", stats.p99());
        map.put("max", stats.max());
        return map;
    }
}
