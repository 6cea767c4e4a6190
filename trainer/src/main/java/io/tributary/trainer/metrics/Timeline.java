package io.tributary.trainer.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The first steps of a run as Chrome-trace complete ("X") events: name = phase, pid = node rank, tid = replica,
 * ts and dur in microseconds. A recording timeline preallocates one slot per (step, replica, event kind), so
 * each replica thread writes its own slots and recording neither allocates nor synchronises. Timestamps
 * are wall-clock microseconds: {@code currentTimeMillis} at construction plus {@code nanoTime} deltas, so
 * events of nodes on different hosts line up as well as their clocks do.
 *
 * <p>Event kinds are the five {@link Phase}s plus {@code intra-copy}: the copy of the global sum into
 * replicas 1..R-1, the second half of the intra phase, which a replica may run after its own shard sum; and a
 * codec's {@code encode} (error feedback and compression) and {@code decode} (of gathered sparse messages) on
 * the thread that ran them, and a replica's {@code intra-encode} of its own gradient.
 * View the file with Perfetto (ui.perfetto.dev) or chrome://tracing.
 */
public final class Timeline
{
    /** Event kind of the copy of the global sum into the other replicas. */
    public static final int COPY = Phase.VALUES.length;
    /** Event kind of a codec's compression. */
    public static final int ENCODE = COPY + 1;
    /** Event kind of a codec's decoding of gathered messages. */
    public static final int DECODE = ENCODE + 1;
    /** Event kind of a replica's compression of its own gradient ({@code strategy.intra_codec}). */
    public static final int INTRA_ENCODE = DECODE + 1;
    /** Event kind of a communication thread's node sum of one bucket (overlap). */
    public static final int BUCKET_SUM = INTRA_ENCODE + 1;
    /** Event kind of a communication thread's reduce of one bucket across nodes (overlap). */
    public static final int BUCKET_REDUCE = BUCKET_SUM + 1;
    /** Event kinds per lane and step. */
    public static final int KINDS = BUCKET_REDUCE + 1;
    /** Ints per encoded event: pid/tid/kind, step, ts high, ts low, dur. */
    public static final int ENCODED_INTS = 5;
    private static final String[] NAMES = { "data", "compute", "intra", "inter", "update", "intra-copy", "encode",
        "decode", "intra-encode", "bucket-sum", "bucket-reduce" };

    private final int steps;
    private final int replicas;
    private final int buckets;
    private final int lanes;
    private final int nodeRank;
    private final long epochMicros;
    private final long nanoBase;
    /** Per slot, pid/tid/kind packed as {@link #encodeTo} writes them, and the step; null while recording. */
    private final int[] packed;
    private final int[] stepOf;
    private final long[] ts;
    private final int[] dur;

    /**
     * @param steps how many first steps to record; 0 records nothing. Each slot holds only its time and
     *              duration (12 bytes): node, replica, kind and step follow from the slot's index.
     */
    public Timeline(final int nodeRank, final int replicas, final int steps)
    {
        this(nodeRank, replicas, steps, 0, 0);
    }

    /**
     * With communication threads (overlap): {@code commLanes} threads, each with one lane per bucket; their
     * events show as threads {@code replicas .. replicas + commLanes - 1}.
     */
    public Timeline(final int nodeRank, final int replicas, final int steps, final int commLanes, final int buckets)
    {
        this(steps, replicas, buckets, replicas + commLanes * buckets, nodeRank,
            Math.multiplyExact(Math.multiplyExact(steps, replicas + commLanes * buckets), KINDS),
            System.currentTimeMillis() * 1000, System.nanoTime(), false);
    }

    private Timeline(final int steps, final int replicas, final int buckets, final int lanes, final int nodeRank,
        final int slots, final long epochMicros, final long nanoBase, final boolean decoded)
    {
        this.steps = steps;
        this.replicas = replicas;
        this.buckets = buckets;
        this.lanes = lanes;
        this.nodeRank = nodeRank;
        this.epochMicros = epochMicros;
        this.nanoBase = nanoBase;
        this.packed = decoded ? new int[slots] : null;
        this.stepOf = decoded ? new int[slots] : null;
        this.ts = new long[slots];
        this.dur = new int[slots];
        Arrays.fill(dur, -1);
    }

    private int pid(final int slot)
    {
        return packed == null ? nodeRank : packed[slot] >>> 16;
    }

    private int tid(final int slot)
    {
        if (packed != null)
        {
            return packed[slot] >>> 8 & 0xFF;
        }
        final int lane = slot / KINDS % lanes;
        return lane < replicas ? lane : replicas + (lane - replicas) / buckets;
    }

    private int kind(final int slot)
    {
        return packed == null ? slot % KINDS : Math.min(packed[slot] & 0xFF, KINDS - 1);
    }

    private int step(final int slot)
    {
        return stepOf == null ? slot / (KINDS * lanes) : stepOf[slot];
    }

    /** Records one phase of one replica; ignored past the recorded steps. Thread-safe per replica. */
    public void record(final long stepNumber, final int replica, final Phase phase, final long startNs,
        final long endNs)
    {
        record(stepNumber, replica, phase.ordinal(), startNs, endNs);
    }

    /** Records one replica's copy of the global sum (event kind {@link #COPY}). */
    public void recordCopy(final long stepNumber, final int replica, final long startNs, final long endNs)
    {
        record(stepNumber, replica, COPY, startNs, endNs);
    }

    /** Records an event of kind {@link #ENCODE}, {@link #DECODE} or {@link #INTRA_ENCODE} on a replica's thread. */
    public void recordCodec(final long stepNumber, final int replica, final int eventKind, final long startNs,
        final long endNs)
    {
        if (eventKind < ENCODE || eventKind > INTRA_ENCODE)
        {
            throw new IllegalArgumentException("not a codec event kind: " + eventKind);
        }
        record(stepNumber, replica, eventKind, startNs, endNs);
    }

    /**
     * Records a communication thread's {@link #BUCKET_SUM} or {@link #BUCKET_REDUCE} of one bucket (overlap), or
     * the reduce of a background thread (ssp, async: lane 0, bucket 0); ignored where this timeline has no such
     * lane (one node).
     */
    public void recordBucket(final long stepNumber, final int commLane, final int bucket, final int eventKind,
        final long startNs, final long endNs)
    {
        if (eventKind != BUCKET_SUM && eventKind != BUCKET_REDUCE)
        {
            throw new IllegalArgumentException("not a bucket event kind: " + eventKind);
        }
        final int lane = replicas + commLane * buckets + bucket;
        if (lane < lanes)
        {
            record(stepNumber, lane, eventKind, startNs, endNs);
        }
    }

    private void record(final long stepNumber, final int lane, final int eventKind, final long startNs,
        final long endNs)
    {
        if (stepNumber < steps)
        {
            final int slot = ((int)stepNumber * lanes + lane) * KINDS + eventKind;
            ts[slot] = epochMicros + (startNs - nanoBase) / 1000;
            dur[slot] = (int)Math.min(Integer.MAX_VALUE, Math.max(0, (endNs - startNs) / 1000));
        }
    }

    /** The number of events recorded. */
    public int events()
    {
        int count = 0;
        for (final int d : dur)
        {
            if (d >= 0)
            {
                count++;
            }
        }
        return count;
    }

    /** The largest number of events this timeline can hold. */
    public int capacity()
    {
        return dur.length;
    }

    /** Writes the recorded events, {@link #ENCODED_INTS} native-order ints each, from byte 0; returns their count. */
    public int encodeTo(final ByteBuffer out)
    {
        int at = 0;
        for (int slot = 0; slot < dur.length; slot++)
        {
            if (dur[slot] >= 0)
            {
                out.putInt(at, pid(slot) << 16 | tid(slot) << 8 | kind(slot));
                out.putInt(at + 4, step(slot));
                out.putLong(at + 8, ts[slot]);
                out.putInt(at + 16, dur[slot]);
                at += ENCODED_INTS * Integer.BYTES;
            }
        }
        return at / (ENCODED_INTS * Integer.BYTES);
    }

    /** The events written by {@link #encodeTo}, possibly of several nodes one after another. */
    public static Timeline decode(final ByteBuffer in, final int events)
    {
        final Timeline timeline = new Timeline(0, 1, 0, 1, 0, events, 0, 0, true);
        for (int e = 0; e < events; e++)
        {
            final int at = e * ENCODED_INTS * Integer.BYTES;
            timeline.packed[e] = in.getInt(at);
            timeline.stepOf[e] = in.getInt(at + 4);
            timeline.ts[e] = in.getLong(at + 8);
            timeline.dur[e] = Math.max(0, in.getInt(at + 16));
        }
        return timeline;
    }

    public void writeJson(final Path file) throws IOException
    {
        try (OutputStream out = Files.newOutputStream(file))
        {
            writeJson(out);
        }
    }

    /** Chrome trace JSON: {"traceEvents":[...],"displayTimeUnit":"ms"}; leaves {@code out} open. */
    public void writeJson(final OutputStream out) throws IOException
    {
        final Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        w.write("{\"traceEvents\":[");
        boolean first = true;
        final BitSet named = new BitSet();
        for (int slot = 0; slot < dur.length; slot++)
        {
            if (dur[slot] < 0)
            {
                continue;
            }
            final int pid = pid(slot);
            if (!named.get(pid))
            {
                named.set(pid);
                w.write((first ? "\n" : ",\n") + "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + pid +
                    ",\"tid\":0,\"args\":{\"name\":\"node " + pid + "\"}}");
                first = false;
            }
            w.write(",\n{\"ph\":\"X\",\"cat\":\"step\",\"name\":\"" + NAMES[kind(slot)] + "\",\"pid\":" + pid +
                ",\"tid\":" + tid(slot) + ",\"ts\":" + ts[slot] + ",\"dur\":" + dur[slot] + ",\"args\":{\"step\":" +
                step(slot) + "}}");
        }
        w.write("\n],\"displayTimeUnit\":\"ms\"}\n");
        w.flush();
    }
}
