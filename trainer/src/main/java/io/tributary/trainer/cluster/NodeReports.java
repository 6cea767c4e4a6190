package io.tributary.trainer.cluster;

import io.tributary.trainer.metrics.CompressionStats;
import io.tributary.trainer.metrics.NodeReport;
import io.tributary.trainer.metrics.Phase;
import io.tributary.trainer.metrics.StepStats;
import io.tributary.trainer.metrics.StrategyStats;
import io.tributary.trainer.metrics.Timeline;
import io.tributary.transport.Collective;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings every node's report and timeline to every node (allGather over ring 0, once, after training), so
 * node 0 can write them; only node 0 decodes the timeline. A report travels as fixed-size raw bytes: rank, steps, bytes sent and received, then
 * the doubles' bits (samples/s, comm percentiles, phase percentiles); the host comes from the rendezvous.
 */
public final class NodeReports
{
    private static final int STATS = 5;
    private static final int LONGS = 6 + STATS +
        (Phase.values().length + CompressionStats.KEYS.length + StrategyStats.KEYS.size()) * STATS;
    private static final int FLOATS = LONGS * Long.BYTES / Float.BYTES;
    private static final int TIMELINE_FLOATS = Timeline.ENCODED_INTS * Integer.BYTES / Float.BYTES;

    private NodeReports()
    {
    }

    /** The name this machine reports itself by. */
    public static String localHost()
    {
        return DataHost.nodeId();
    }

    /**
     * This node's report (its traffic and allreduce latency from {@code transports}, zeros without), then every
     * node's, in rank order: the report alone on one node.
     */
    public static List<NodeReport> gather(final int rank, final NodeTransports transports,
        final Map<String, StepStats> phaseMs, final double samplesPerSecond, final long steps,
        final Map<String, StepStats> compression, final Map<String, StepStats> strategy)
    {
        if (transports == null)
        {
            return List.of(new NodeReport(rank, localHost(), 0, 0, StepStats.NONE, phaseMs, samplesPerSecond, steps,
                compression, strategy));
        }
        return gather(new NodeReport(rank, transports.nodeId(rank), transports.bytesSent(), transports.bytesReceived(),
            StepStats.of(transports.allReduceLatencyUs()), phaseMs, samplesPerSecond, steps, compression, strategy),
            transports);
    }

    /** @return every node's report, in rank order */
    public static List<NodeReport> gather(final NodeReport own, final NodeTransports transports)
    {
        final Collective collective = transports.control();
        final int nodes = collective.worldSize();
        final ByteBuffer send = ByteBuffer.allocateDirect(LONGS * Long.BYTES).order(ByteOrder.nativeOrder());
        encode(own, send);
        final ByteBuffer all = ByteBuffer.allocateDirect(nodes * LONGS * Long.BYTES).order(ByteOrder.nativeOrder());
        collective.allGather(send, FLOATS, all, new int[nodes]);
        final List<NodeReport> reports = new ArrayList<>(nodes);
        for (int node = 0; node < nodes; node++)
        {
            reports.add(decode(all.slice(node * LONGS * Long.BYTES, LONGS * Long.BYTES).order(ByteOrder.nativeOrder()),
                transports.nodeId(node)));
        }
        return reports;
    }

    /**
     * A collective: every node takes part, but only node 0, which writes the timeline, decodes what it gathered;
     * a job's trace may be up to 2^24 events, which would cost every other node hundreds of MB of heap.
     *
     * @return on node 0 every node's timeline events in one timeline, node 0's first; on the other nodes
     *         {@code own}. The buffers hold the events recorded, counted by one allreduce (exact: the Trainer
     *         caps a job's trace at 2^24 events)
     */
    public static Timeline gather(final Timeline own, final Collective collective)
    {
        final int bytesPerEvent = Timeline.ENCODED_INTS * Integer.BYTES;
        final ByteBuffer send = ByteBuffer.allocateDirect(Math.max(1, own.events()) * bytesPerEvent)
            .order(ByteOrder.nativeOrder());
        final int events = own.encodeTo(send);
        final float[] total = { events };
        collective.allReduce(total);
        final ByteBuffer all = ByteBuffer.allocateDirect(Math.max(1, (int)total[0]) * bytesPerEvent)
            .order(ByteOrder.nativeOrder());
        final int floats = collective.allGather(send, events * TIMELINE_FLOATS, all, new int[collective.worldSize()]);
        return collective.rank() == 0 ? Timeline.decode(all, floats / TIMELINE_FLOATS) : own;
    }

    static void encode(final NodeReport report, final ByteBuffer out)
    {
        int at = 0;
        at = putLong(out, at, report.rank());
        at = putLong(out, at, report.steps());
        at = putLong(out, at, report.bytesSent());
        at = putLong(out, at, report.bytesReceived());
        at = putDouble(out, at, report.samplesPerSecond());
        at = putStats(out, at, report.commMs());
        for (final Phase phase : Phase.values())
        {
            at = putStats(out, at, report.phaseMs().getOrDefault(phase.label(), StepStats.NONE));
        }
        for (final String key : CompressionStats.KEYS)
        {
            at = putStats(out, at, report.compression().getOrDefault(key, StepStats.NONE));
        }
        at = putLong(out, at, report.strategy().isEmpty() ? 0 : 1);
        for (final String key : StrategyStats.KEYS)
        {
            at = putStats(out, at, report.strategy().getOrDefault(key, StepStats.NONE));
        }
    }

    static NodeReport decode(final ByteBuffer in, final String host)
    {
        final int rank = (int)in.getLong(0);
        final long steps = in.getLong(8);
        final long sent = in.getLong(16);
        final long received = in.getLong(24);
        final double samplesPerSecond = in.getDouble(32);
        final StepStats comm = stats(in, 40);
        final Map<String, StepStats> phases = new LinkedHashMap<>();
        int at = 40 + STATS * Double.BYTES;
        for (final Phase phase : Phase.values())
        {
            phases.put(phase.label(), stats(in, at));
            at += STATS * Double.BYTES;
        }
        final Map<String, StepStats> compression = new LinkedHashMap<>();
        for (final String key : CompressionStats.KEYS)
        {
            compression.put(key, stats(in, at));
            at += STATS * Double.BYTES;
        }
        final boolean hasStrategy = in.getLong(at) != 0;
        at += Long.BYTES;
        final Map<String, StepStats> strategy = new LinkedHashMap<>();
        for (final String key : StrategyStats.KEYS)
        {
            if (hasStrategy)
            {
                strategy.put(key, stats(in, at));
            }
            at += STATS * Double.BYTES;
        }
        return new NodeReport(rank, host, sent, received, comm, phases, samplesPerSecond, steps, compression,
            strategy);
    }

    private static int putLong(final ByteBuffer out, final int at, final long value)
    {
        out.putLong(at, value);
        return at + Long.BYTES;
    }

    private static int putDouble(final ByteBuffer out, final int at, final double value)
    {
        out.putDouble(at, value);
        return at + Double.BYTES;
    }

    private static int putStats(final ByteBuffer out, final int at, final StepStats stats)
    {
        int next = putDouble(out, at, stats.p50());
        next = putDouble(out, next, stats.p90());
        next = putDouble(out, next, stats.p99());
        next = putDouble(out, next, stats.max());
        return putDouble(out, next, stats.mean());
    }

    private static StepStats stats(final ByteBuffer in, final int at)
    {
        return new StepStats(in.getDouble(at), in.getDouble(at + 8), in.getDouble(at + 16), in.getDouble(at + 24),
            in.getDouble(at + 32));
    }
}
