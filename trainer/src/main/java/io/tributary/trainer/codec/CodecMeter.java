package io.tributary.trainer.codec;

import java.nio.ByteBuffer;

/**
 * What one codec did in the last step, written by the thread that ran it and read by the step's coordinator
 * after the step's phases have joined: the values it sent of how many, its message's size, its threshold,
 * its residual's norm, and the time it spent encoding and decoding. Under ssp a background thread writes while
 * the coordinator reads, so the writes are published under this meter's lock, and a reader that reads several
 * values holds the lock across them: it sees one whole step's values, never a mix.
 */
public final class CodecMeter
{
    private final GradientCodec codec;
    private long steps;
    private int valuesSent;
    private int messageBytes;
    private double residualNorm;
    private long encodeStartNs;
    private long encodeEndNs;
    private long decodeStartNs;
    private long decodeEndNs;

    public CodecMeter(final GradientCodec codec)
    {
        this.codec = codec;
    }

    /** {@code first}'s meters, then {@code second}'s. */
    public static CodecMeter[] concat(final CodecMeter[] first, final CodecMeter[] second)
    {
        final CodecMeter[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    public GradientCodec codec()
    {
        return codec;
    }

    /** Compresses {@code x} with the codec, timing it and measuring what it sent and kept. */
    public int compress(final ByteBuffer x, final long key)
    {
        final long start = System.nanoTime();
        final int bytes = codec.compress(x, key);
        final int sent = codec.valuesSent();
        final double norm = norm(codec.residual(), codec.length());
        final long end = System.nanoTime();
        synchronized (this)
        {
            encodeStartNs = start;
            messageBytes = bytes;
            valuesSent = sent;
            residualNorm = norm;
            encodeEndNs = end;
            decodeStartNs = end;
            decodeEndNs = end;
            steps++;
        }
        return bytes;
    }

    /** The decoding of this step's gathered messages ran from {@code startNs} to {@code endNs}. */
    public synchronized void decoded(final long startNs, final long endNs)
    {
        decodeStartNs = startNs;
        decodeEndNs = endNs;
    }

    /** Steps compressed so far: the meter's values are those of the last one. */
    public long steps()
    {
        return steps;
    }

    public int length()
    {
        return codec.length();
    }

    public int valuesSent()
    {
        return valuesSent;
    }

    public int messageBytes()
    {
        return messageBytes;
    }

    public float threshold()
    {
        return codec.threshold();
    }

    public double residualNorm()
    {
        return residualNorm;
    }

    /** When the last compression started; it includes the residual's norm. */
    public long encodeStartNs()
    {
        return encodeStartNs;
    }

    public long encodeEndNs()
    {
        return encodeEndNs;
    }

    /** When the last decoding of gathered messages started: equal to its end when there was none (dense codecs). */
    public long decodeStartNs()
    {
        return decodeStartNs;
    }

    public long decodeEndNs()
    {
        return decodeEndNs;
    }

    /** The L2 norm, summed in four float lanes (a pass at memory speed; the order is fixed, so it is deterministic). */
    static double norm(final ByteBuffer floats, final int n)
    {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        final int bytes = n * Float.BYTES;
        int b = 0;
        for (final int end = bytes & ~15; b < end; b += 16)
        {
            final float a = floats.getFloat(b);
            final float c = floats.getFloat(b + 4);
            final float d = floats.getFloat(b + 8);
            final float e = floats.getFloat(b + 12);
            s0 += a * a;
            s1 += c * c;
            s2 += d * d;
            s3 += e * e;
        }
        for (; b < bytes; b += Float.BYTES)
        {
            final float a = floats.getFloat(b);
            s0 += a * a;
        }
        return Math.sqrt((double)s0 + s1 + s2 + s3);
    }
}
