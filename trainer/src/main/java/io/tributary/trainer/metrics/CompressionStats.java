package io.tributary.trainer.metrics;

import io.tributary.trainer.codec.CodecMeter;
import org.HdrHistogram.DoubleHistogram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A node's compression telemetry, recorded after every step by the step's coordinating thread from the codecs'
 * meters and the transport's byte counters: the bytes this node sent per step (headers included), the density
 * (values sent / values), the compression ratio (the bytes an fp32 ring allreduce would send / the bytes sent),
 * the threshold in use, the residual's L2 norm, and the encode and decode time; the same for the replicas' codec.
 * Each goes into a histogram (its {@link #KEYS} in metrics.json), and the codecs' events into the timeline.
 */
public final class CompressionStats
{
    /** The per-step quantities, in the order a node report carries them. */
    public static final String[] KEYS = { "wire_bytes_per_step", "density", "ratio", "threshold", "residual_norm",
        "encode_ms", "decode_ms", "intra_density", "intra_residual_norm", "intra_encode_ms" };

    private static final int WIRE = 0;
    private static final int DENSITY = 1;
    private static final int RATIO = 2;
    private static final int THRESHOLD = 3;
    private static final int RESIDUAL = 4;
    private static final int ENCODE = 5;
    private static final int DECODE = 6;
    private static final int INTRA_DENSITY = 7;
    private static final int INTRA_RESIDUAL = 8;
    private static final int INTRA_ENCODE = 9;

    private final CodecMeter[] inter;
    private final int ringMeters;
    private final CodecMeter[] intra;
    private final LongSupplier bytesSent;
    private final StepPhases phases;
    private final boolean events;
    private final double fp32RingBytes;
    private final DoubleHistogram[] histograms = new DoubleHistogram[KEYS.length];
    private long lastSent;
    private long progressSent;
    private long progressSteps;
    private long steps;

    /**
     * @param inter     the meters of this node's ring codecs, one per ring (empty: exact rings)
     * @param strategy  the meters of the codecs a step-level strategy runs itself (local-sgd's averaging, async's
     *                  rounds): counted with the rings', but off the replicas' timeline tracks
     * @param intra     the replicas' meters (empty: no replica codec)
     * @param bytesSent this node's transport counter of bytes sent (always 0 on one node)
     * @param nodes     nodes in the job
     * @param numParams the gradient's length
     * @param events    whether the codecs' encode and decode go into the timeline: meter i of a level ran on
     *                  replica i's thread (not under overlap, where the bucket events show them)
     */
    public CompressionStats(final CodecMeter[] inter, final CodecMeter[] strategy, final CodecMeter[] intra,
        final LongSupplier bytesSent, final StepPhases phases, final int nodes, final long numParams,
        final boolean events)
    {
        this.events = events;
        this.inter = CodecMeter.concat(inter, strategy);
        this.ringMeters = inter.length;
        this.intra = intra;
        this.bytesSent = bytesSent;
        this.phases = phases;
        this.fp32RingBytes = nodes > 1 ? 2.0 * (nodes - 1) / nodes * Float.BYTES * numParams : 0;
        for (int i = 0; i < histograms.length; i++)
        {
            histograms[i] = new DoubleHistogram(3);
        }
        this.lastSent = bytesSent.getAsLong();
    }

    /** After step {@code step} (the process's step index, as the timeline counts them). */
    public void afterStep(final long step)
    {
        final long sentNow = bytesSent.getAsLong();
        final long wire = sentNow - lastSent;
        lastSent = sentNow;
        steps++;
        if (fp32RingBytes > 0)
        {
            record(WIRE, wire);
            if (wire > 0)
            {
                record(RATIO, fp32RingBytes / wire);
            }
        }
        recordLevel(inter, ringMeters, DENSITY, RESIDUAL, ENCODE, step, Timeline.ENCODE);
        recordLevel(intra, intra.length, INTRA_DENSITY, INTRA_RESIDUAL, INTRA_ENCODE, step, Timeline.INTRA_ENCODE);
        float tau = Float.NaN;
        for (final CodecMeter meter : inter)
        {
            tau = Float.isNaN(tau) ? meter.threshold() : Math.min(tau, meter.threshold());
        }
        if (!Float.isNaN(tau))
        {
            record(THRESHOLD, tau);
        }
        long decodeNanos = 0;
        for (int d = 0; d < inter.length; d++)
        {
            final CodecMeter meter = inter[d];
            synchronized (meter)
            {
                if (meter.decodeEndNs() > meter.decodeStartNs())
                {
                    decodeNanos = Math.max(decodeNanos, meter.decodeEndNs() - meter.decodeStartNs());
                    if (events && d < ringMeters)
                    {
                        phases.codecEvent(step, d, Timeline.DECODE, meter.decodeStartNs(), meter.decodeEndNs());
                    }
                }
            }
        }
        if (inter.length > 0 && !inter[0].codec().summable())
        {
            record(DECODE, decodeNanos / 1e6);
        }
    }

    /**
     * Density, residual norm and encode time of one level's meters, and the events of its first {@code onThreads}
     * on their threads.
     */
    private void recordLevel(final CodecMeter[] meters, final int onThreads, final int densityKey, final int normKey,
        final int encodeKey, final long step, final int eventKind)
    {
        if (meters.length == 0)
        {
            return;
        }
        long values = 0;
        long length = 0;
        double squares = 0;
        long encodeNanos = 0;
        for (int i = 0; i < meters.length; i++)
        {
            final CodecMeter meter = meters[i];
            synchronized (meter)
            {
                if (meter.steps() == 0)
                {
                    continue;
                }
                values += meter.valuesSent();
                length += meter.length();
                squares += meter.residualNorm() * meter.residualNorm();
                encodeNanos = Math.max(encodeNanos, meter.encodeEndNs() - meter.encodeStartNs());
                if (events && i < onThreads)
                {
                    phases.codecEvent(step, i, eventKind, meter.encodeStartNs(), meter.encodeEndNs());
                }
            }
        }
        if (length > 0)
        {
            record(densityKey, (double)values / length);
            record(normKey, Math.sqrt(squares));
            record(encodeKey, encodeNanos / 1e6);
        }
    }

    private void record(final int key, final double value)
    {
        // A diverging run's residual norm reaches infinity before the trainer's check stops it: the histogram
        // cannot hold it.
        if (Double.isFinite(value))
        {
            histograms[key].recordValue(Math.max(0, value));
        }
    }

    /**
     * The progress line's part, e.g. {@code wire 21 KB/step (102x)}: bytes sent per step since the last call, and
     * the ratio to an fp32 ring allreduce; empty on one node.
     */
    public String progress()
    {
        final long sent = lastSent - progressSent;
        final long count = steps - progressSteps;
        progressSent = lastSent;
        progressSteps = steps;
        if (fp32RingBytes == 0 || count == 0 || sent == 0)
        {
            return "";
        }
        final double perStep = (double)sent / count;
        return String.format("  wire %s/step (%.1fx)", bytes(perStep), fp32RingBytes / perStep);
    }

    static String bytes(final double b)
    {
        return b >= 1e6 ? String.format("%.2f MB", b / 1e6) : b >= 1e3 ? String.format("%.0f KB", b / 1e3) :
            String.format("%.0f B", b);
    }

    /** Every quantity's percentiles, keyed by {@link #KEYS}. */
    public Map<String, StepStats> all()
    {
        final Map<String, StepStats> all = new LinkedHashMap<>();
        for (int i = 0; i < KEYS.length; i++)
        {
            all.put(KEYS[i], StepStats.of(histograms[i]));
        }
        return all;
    }
}
