package io.tributary.trainer.cli;

import io.tributary.trainer.metrics.NodeReport;
import io.tributary.trainer.metrics.Phase;
import io.tributary.trainer.metrics.StepStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's object in metrics.json: {@code rank, host, bytes_sent, bytes_received, comm_ms, phase_ms,
 * samples_per_sec}, and {@code compression} with every per-step quantity that was measured
 * ({@link io.tributary.trainer.metrics.CompressionStats#KEYS}); each is {@code {p50, p90, p99, max, mean}},
 * durations in milliseconds; and {@code strategy} with the step-level strategy's own measurements
 * ({@link io.tributary.trainer.metrics.StrategyStats#KEYS}) where it has any.
 */
final class NodeMetrics
{
    private NodeMetrics()
    {
    }

    /** One object per report, in rank order. */
    static List<Map<String, Object>> of(final List<NodeReport> reports)
    {
        final List<Map<String, Object>> nodes = new ArrayList<>(reports.size());
        for (final NodeReport report : reports)
        {
            final Map<String, StepStats> phases = new LinkedHashMap<>();
            report.phaseMs().forEach((phase, stats) -> phases.put(key(phase), stats));
            final Map<String, Object> node = node(report.rank(), report.host(), report.bytesSent(),
                report.bytesReceived(), report.commMs(), phases, report.samplesPerSecond());
            final Map<String, Object> compression = new LinkedHashMap<>();
            report.compression().forEach((key, stats) ->
            {
                if (stats.max() > 0)
                {
                    compression.put(key, percentiles(stats));
                }
            });
            if (!compression.isEmpty())
            {
                node.put("compression", compression);
            }
            if (!report.strategy().isEmpty())
            {
                final Map<String, Object> strategy = new LinkedHashMap<>();
                report.strategy().forEach((key, stats) -> strategy.put(key, percentiles(stats)));
                node.put("strategy", strategy);
            }
            nodes.add(node);
        }
        return nodes;
    }

    /** metrics.json says which reduce a phase is: intra_reduce (inside the node), inter_reduce (across nodes). */
    private static String key(final String phase)
    {
        return Phase.INTRA.label().equals(phase) || Phase.INTER.label().equals(phase) ? phase + "_reduce" : phase;
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
        map.put("mean", stats.mean());
        return map;
    }
}
