package io.tributary.trainer.codec;

import io.tributary.kernels.GradientKernels;

import java.nio.ByteBuffer;

/**
 * Top-k sparsification: the k = ceil(ratio * n) values of largest magnitude are sent whole and leave zero
 * behind; every other value stays in the residual. Exact bookkeeping: what is sent plus what stays is the
 * accumulated gradient, bit for bit. Message: int k, int units, the indices as {@link SparseIndices} units,
 * padding to 4 bytes, then k fp32 values.
 */
final class TopKCodec extends SparseCodec
{
    static final String NAME = "topk";
    private static final int HEADER = 2 * Integer.BYTES;

    private final int k;
    private final ByteBuffer indices;
    private final ByteBuffer values;
    private final ByteBuffer message;

    TopKCodec(final int n, final double ratio, final GradientKernels kernels)
    {
        super(n, kernels);
        this.k = (int)Math.min(n, Math.ceil(ratio * n));
        this.indices = floats(k);
        this.values = floats(k);
        this.message = bytes(HEADER + align4(SparseIndices.maxUnits(k, n, false) * Short.BYTES) + k * Float.BYTES);
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
        kernels.topK(residual, n, k, indices, values);
        final int units = SparseIndices.pack(indices, k, false, message, HEADER);
        final int valuesAt = HEADER + align4(units * Short.BYTES);
        message.putInt(0, k);
        message.putInt(Integer.BYTES, units);
        message.put(valuesAt, values, 0, k * Float.BYTES);
        DirectFloats.zero(x, n);
        kernels.topKDecode(indices, values, k, x, n);
        return valuesAt + k * Float.BYTES;
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
        final int count = in.getInt(0);
        final int units = in.getInt(Integer.BYTES);
        final int valuesAt = HEADER + align4(units * Short.BYTES);
        if (count < 0 || count > k || units < 0 || units > SparseIndices.maxUnits(k, n, false) ||
            valuesAt + count * Float.BYTES != bytes)
        {
            throw new IllegalArgumentException("malformed top-k message: " + count + " values, " + units + " units, " +
                bytes + " bytes, for k = " + k);
        }
        final int decoded = SparseIndices.unpack(in, HEADER, units, false, n, indices, count);
        if (decoded != count)
        {
            throw new IllegalArgumentException("malformed top-k message: " + decoded + " indices for " + count +
                " values");
        }
        values.put(0, in, valuesAt, count * Float.BYTES);
        kernels.topKDecode(indices, values, count, out, n);
    }

    @Override
    public int valuesSent()
    {
        return k;
    }
}
