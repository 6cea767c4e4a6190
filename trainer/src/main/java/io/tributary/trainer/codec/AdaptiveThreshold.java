package io.tributary.trainer.codec;

import io.tributary.kernels.GradientKernels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The threshold codec's tau: fixed, or adapted to send a target fraction of the values. An adaptive tau starts at
 * the k-th largest magnitude of the first accumulated gradient (k = the target count) and after every step is
 * multiplied by (sent / target)^(1/4) (bounded to [0.8, 1.25]), where sent is a moving average of the values
 * sent per step, and rounded to 4 significant bits; a change of less
 * than half a step of that grid leaves it where it is, which keeps it from oscillating. Deterministic: the same
 * gradients give the same taus, so a resumed run continues bit-identically from the saved value.
 */
final class AdaptiveThreshold
{
    /** Small steps: a lower tau releases what the residual accumulated meanwhile, so large ones oscillate. */
    private static final double GAIN = 0.25;
    private static final double MIN_FACTOR = 0.8;
    /** Weight of a step in the moving average of values sent: values cross tau in bursts, not evenly. */
    private static final double SMOOTHING = 0.25;
    private static final int KEPT_MANTISSA_BITS = 4;
    private static final int DROPPED_BITS = 23 - KEPT_MANTISSA_BITS;

    private final boolean adaptive;
    private final double density;
    private final int n;
    private final int target;
    private float value;
    private float last = Float.NaN;
    private double averageSent = Double.NaN;

    AdaptiveThreshold(final double fixed, final double density, final int n)
    {
        this.adaptive = Double.isNaN(fixed);
        this.density = density;
        this.n = n;
        this.target = (int)Math.max(1, Math.min(n, Math.ceil(density * n)));
        this.value = adaptive ? Float.NaN : round((float)fixed);
    }

    /**
     * {@code x} rounded to nearest with 4 significant bits (a float whose low 19 mantissa bits are zero), so that
     * r - x is exact for every float r with x <= |r| < 2^19 x. Positive finite inputs only.
     */
    static float round(final float x)
    {
        final int bits = Float.floatToRawIntBits(x);
        final float rounded = Float.intBitsToFloat((bits + (1 << (DROPPED_BITS - 1))) & -(1 << DROPPED_BITS));
        return rounded > 0 ? rounded : Float.MIN_NORMAL;
    }

    boolean initialised()
    {
        return !Float.isNaN(value);
    }

    /** The first tau: the target count's largest magnitude of {@code residual}, found by top-k on a copy. */
    void initialise(final ByteBuffer residual, final GradientKernels kernels)
    {
        final ByteBuffer copy = CodecBase.floats(n);
        copy.put(0, residual, 0, n * Float.BYTES);
        final ByteBuffer indices = CodecBase.floats(target);
        final ByteBuffer values = CodecBase.floats(target);
        kernels.topK(copy, n, target, indices, values);
        float smallest = Float.MAX_VALUE;
        for (int j = 0; j < target; j++)
        {
            smallest = Math.min(smallest, Math.abs(values.getFloat(j << 2)));
        }
        value = round(smallest > 0 && smallest < Float.MAX_VALUE ? smallest : Float.MIN_NORMAL);
    }

    float value()
    {
        return value;
    }

    float last()
    {
        return last;
    }

    /** After a step that sent {@code sent} values with {@link #value()}. */
    void update(final int sent)
    {
        last = value;
        if (adaptive)
        {
            averageSent = Double.isNaN(averageSent) ? sent : averageSent + SMOOTHING * (sent - averageSent);
            final double factor = Math.max(MIN_FACTOR, Math.min(1 / MIN_FACTOR, Math.pow(averageSent / target, GAIN)));
            final float next = round((float)(value * factor));
            value = Float.isFinite(next) ? next : value;
        }
    }

    void writeState(final DataOutput out) throws IOException
    {
        out.writeFloat(value);
        out.writeFloat(last);
        out.writeDouble(averageSent);
        out.writeDouble(density);
    }

    void readState(final DataInput in) throws IOException
    {
        value = in.readFloat();
        last = in.readFloat();
        averageSent = in.readDouble();
        if (in.readDouble() != density)
        {
            throw new IOException("threshold state of another target density");
        }
    }
}
