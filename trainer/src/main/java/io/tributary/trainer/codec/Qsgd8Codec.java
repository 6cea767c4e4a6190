package io.tributary.trainer.codec;

import io.tributary.kernels.GradientKernels;

import java.nio.ByteBuffer;

/**
 * QSGD with 8-bit codes: each bucket of {@code bucket} values shares one fp32 scale (its largest magnitude), each
 * value becomes a code in [-127, 127] by stochastic rounding, so the decoded value is an unbiased estimate.
 * Layout of an encoding of f values: f codes, padding to 4 bytes, then ceil(f / bucket) scales.
 */
final class Qsgd8Codec extends DenseCodec
{
    static final String NAME = "qsgd8";

    private final int bucket;
    private ByteBuffer codes;
    private ByteBuffer scales;

    Qsgd8Codec(final int n, final int bucket, final GradientKernels kernels)
    {
        super(n, kernels);
        this.bucket = bucket;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int encodedBytes(final int floats)
    {
        return align4(floats) + scaleCount(floats) * Float.BYTES;
    }

    @Override
    public void encode(final ByteBuffer src, final int count, final ByteBuffer dst, final long key)
    {
        ensureScratch(count);
        kernels.quantise8(src, count, bucket, key, codes, scales);
        dst.put(0, codes, 0, count);
        dst.put(align4(count), scales, 0, scaleCount(count) * Float.BYTES);
    }

    @Override
    public void decode(final ByteBuffer src, final int count, final ByteBuffer dst)
    {
        ensureScratch(count);
        codes.put(0, src, 0, count);
        scales.put(0, src, align4(count), scaleCount(count) * Float.BYTES);
        kernels.dequantise8(codes, scales, count, bucket, dst);
    }

    private int scaleCount(final int floats)
    {
        return (int)(((long)floats + bucket - 1) / bucket);
    }

    /** Grows only: the ring's chunks and the whole vector are the only sizes. */
    private void ensureScratch(final int count)
    {
        if (codes == null || codes.capacity() < count)
        {
            codes = bytes(count);
            scales = floats(scaleCount(count));
        }
    }
}
