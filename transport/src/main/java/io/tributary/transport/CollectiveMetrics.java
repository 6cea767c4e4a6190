package io.tributary.transport;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * Latency of every collective call (microseconds, HdrHistogram, 3 significant digits) and bytes moved.
 * Written by the thread that runs the collectives; read it from that thread or after it has stopped
 * (the counters are plain fields, so another thread may see slightly stale values).
 */
public final class CollectiveMetrics
{
    /** The collectives whose latency is recorded. */
    public enum Operation
    {
        ALL_REDUCE, ALL_GATHER, BROADCAST, BARRIER
    }

    private static final long HIGHEST_US = 3_600_000_000L;

    private final Histogram[] latencyUs = new Histogram[Operation.values().length];
    private long bytesSent;
    private long bytesReceived;
    private long framesSent;
    private long framesReceived;
    private long framesRejected;

    CollectiveMetrics()
    {
        for (int i = 0; i < latencyUs.length; i++)
        {
            latencyUs[i] = new Histogram(HIGHEST_US, 3);
        }
    }

    void record(final Operation operation, final long durationNs)
    {
        latencyUs[operation.ordinal()].recordValue(Math.min(HIGHEST_US, Math.max(0, durationNs / 1000)));
    }

    void onSent(final int frameLength)
    {
        bytesSent += frameLength;
        framesSent++;
    }

    void onReceived(final int frameLength)
    {
        bytesReceived += frameLength;
        framesReceived++;
    }

    void onRejected()
    {
        framesRejected++;
    }

    /** The live histogram of one operation, in microseconds. */
    public Histogram latencyUs(final Operation operation)
    {
        return latencyUs[operation.ordinal()];
    }

    /** Bytes of data frames sent, headers included. */
    public long bytesSent()
    {
        return bytesSent;
    }

    /** Bytes of data frames accepted, headers included. */
    public long bytesReceived()
    {
        return bytesReceived;
    }

    public long framesSent()
    {
        return framesSent;
    }

    public long framesReceived()
    {
        return framesReceived;
    }

    /** Frames dropped because a header field was not what the receiver expected. */
    public long framesRejected()
    {
        return framesRejected;
    }

    /** One line per operation that ran, then the byte and frame counters. */
    public String summary()
    {
        final StringBuilder out = new StringBuilder();
        for (final Operation operation : Operation.values())
        {
            final Histogram h = latencyUs[operation.ordinal()];
            if (h.getTotalCount() > 0)
            {
                out.append(String.format(Locale.ROOT, "%-10s calls=%d p50=%dus p99=%dus max=%dus mean=%.0fus%n",
                    operation.name().toLowerCase(Locale.ROOT), h.getTotalCount(), h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99), h.getMaxValue(), h.getMean()));
            }
        }
        out.append(String.format(Locale.ROOT, "bytes sent=%d received=%d; frames sent=%d received=%d rejected=%d",
            bytesSent, bytesReceived, framesSent, framesReceived, framesRejected));
        return out.toString();
    }
}
