package io.tributary.trainer.codec;

import io.tributary.kernels.GradientKernels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Threshold sparsification (Strom's 1-bit scheme, as DL4J's SharedTrainingMaster had it): every accumulated
 * value with |r| >= tau is sent as its sign alone, meaning +-tau, and leaves r -+ tau behind. tau is always a
 * float with at most 4 significant bits ({@link AdaptiveThreshold#round}), so r -+ tau is exact for
 * |r| < 2^19 tau and what is sent plus what stays equals the accumulated gradient, bit for bit.
 * With an adaptive threshold tau starts at the magnitude that sends the target density of the first gradient
 * and then follows the density measured at every step. Message: float tau, int entries, int units, then the
 * signed indices as {@link SparseIndices} units, padded to 4 bytes.
 */
final class ThresholdCodec extends SparseCodec
{
    static final String NAME = "threshold";
    private static final int HEADER = Float.BYTES + 2 * Integer.BYTES;

    private final AdaptiveThreshold tau;
    private final int capacity;
    private final ByteBuffer encoded;
    private final ByteBuffer message;
    private int sent;

    /** @param threshold a fixed tau, or NaN for an adaptive one aiming at {@code density} */
    ThresholdCodec(final int n, final double threshold, final double density, final GradientKernels kernels)
    {
        super(n, kernels);
        this.tau = new AdaptiveThreshold(threshold, density, n);
        // An adaptive tau keeps the density near its target; four times the target bounds a step where it overshoots
        // (values past the capacity simply wait in the residual). A fixed tau may send anything.
        this.capacity = Double.isNaN(threshold) ? (int)Math.min(n, Math.max(1024, 4 * Math.ceil(density * n))) : n;
        this.encoded = floats(capacity);
        this.message = bytes(HEADER + align4(SparseIndices.maxUnits(capacity, n, true) * Short.BYTES));
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int compress(final ByteBuffer x, final long key)
    {
        accumulate(x);
        if (!tau.initialised())
        {
            tau.initialise(residual, kernels);
        }
        final float t = tau.value();
        sent = kernels.thresholdEncode(residual, n, t, encoded, capacity);
        final int units = SparseIndices.pack(encoded, sent, true, message, HEADER);
        message.putFloat(0, t);
        message.putInt(Float.BYTES, sent);
        message.putInt(Float.BYTES + Integer.BYTES, units);
        DirectFloats.zero(x, n);
        kernels.thresholdDecode(encoded, sent, t, x, n);
        tau.update(sent);
        return HEADER + align4(units * Short.BYTES);
    }

    @Override
    public ByteBuffer message()
    {
        return message;
    }

    @Override
    public int maxMessageBytes()
    {
        return message.capacity();
    }

    @Override
    public void decodeAdd(final ByteBuffer in, final int bytes, final ByteBuffer out)
    {
        final float t = in.getFloat(0);
        final int count = in.getInt(Float.BYTES);
        final int units = in.getInt(Float.BYTES + Integer.BYTES);
        if (!(t > 0) || Float.isInfinite(t) || count < 0 || units < 0 ||
            units > SparseIndices.maxUnits(n, n, true) || HEADER + align4(units * Short.BYTES) != bytes)
        {
            throw new IllegalArgumentException("malformed threshold message: tau " + t + ", " + count + " entries, " +
                units + " units, " + bytes + " bytes");
        }
        final ByteBuffer entries = count <= capacity ? encoded : floats(count); // another node's capacity may be larger
        final int decoded = SparseIndices.unpack(in, HEADER, units, true, n, entries, count);
        if (decoded != count)
        {
            throw new IllegalArgumentException("malformed threshold message: " + decoded + " entries for " + count);
        }
        kernels.thresholdDecode(entries, count, t, out, n);
    }

    @Override
    public int valuesSent()
    {
        return sent;
    }

    /** The tau of the last message. */
    @Override
    public float threshold()
    {
        return tau.last();
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        super.writeState(out);
        tau.writeState(out);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        super.readState(in);
        tau.readState(in);
    }
}
