package io.tributary.trainer.codec;

import io.tributary.kernels.GradientKernels;

import java.nio.ByteBuffer;

/**
 * fp16 or bfloat16: every value in 2 bytes, rounded to nearest even. IEEE half precision keeps 11 significant
 * bits but ends at 65504, so fp16 clamps larger magnitudes to 65504 before it encodes them (an infinity would
 * poison the residual and, through the ring, every node); what the clamp cut off stays in the residual.
 * bfloat16 keeps fp32's range and 8 significant bits.
 */
final class HalfCodec extends DenseCodec
{
    static final String FP16 = "fp16";
    static final String BF16 = "bf16";
    static final float FP16_MAX = 65504.0f;

    private final boolean bfloat16;
    private ByteBuffer clamped = floats(0);

    private HalfCodec(final int n, final GradientKernels kernels, final boolean bfloat16)
    {
        super(n, kernels);
        this.bfloat16 = bfloat16;
    }

    static HalfCodec fp16(final int n, final GradientKernels kernels)
    {
        return new HalfCodec(n, kernels, false);
    }

    static HalfCodec bf16(final int n, final GradientKernels kernels)
    {
        return new HalfCodec(n, kernels, true);
    }

    @Override
    public String name()
    {
        return bfloat16 ? BF16 : FP16;
    }

    @Override
    public int encodedBytes(final int floats)
    {
        return floats * Short.BYTES;
    }

    @Override
    public void encode(final ByteBuffer src, final int count, final ByteBuffer dst, final long key)
    {
        if (bfloat16)
        {
            kernels.packBfloat16(src, dst, count);
        }
        else
        {
            kernels.packHalf(withinHalfRange(src, count), dst, count);
        }
    }

    @Override
    public void decode(final ByteBuffer src, final int count, final ByteBuffer dst)
    {
        if (bfloat16)
        {
            kernels.unpackBfloat16(src, dst, count);
        }
        else
        {
            kernels.unpackHalf(src, dst, count);
        }
    }

    /** {@code src} itself when every value fits in fp16 (the usual case: one read pass), else a clamped copy. */
    private ByteBuffer withinHalfRange(final ByteBuffer src, final int count)
    {
        final int bytes = count * Float.BYTES;
        int b = 0;
        while (b < bytes && Math.abs(src.getFloat(b)) <= FP16_MAX)
        {
            b += Float.BYTES;
        }
        if (b == bytes)
        {
            return src;
        }
        if (clamped.capacity() < bytes)
        {
            clamped = floats(count);
        }
        for (b = 0; b < bytes; b += Float.BYTES)
        {
            final float v = src.getFloat(b);
            clamped.putFloat(b, v > FP16_MAX ? FP16_MAX : v < -FP16_MAX ? -FP16_MAX : v);
        }
        return clamped;
    }
}
