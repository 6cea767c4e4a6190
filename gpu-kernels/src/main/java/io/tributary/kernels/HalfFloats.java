package io.tributary.kernels;

/**
 * Scalar float32 to binary16 / bfloat16 conversions, the definitions every implementation follows bit for
 * bit (the CUDA twins to_half, from_half, to_bf16 and from_bf16 in gpu-kernels/src/main/cuda/tk_device.cuh
 * mirror these lines).
 *
 * <p>binary16 packing rounds to nearest, ties to even. |x| >= 65520 (and infinity) becomes infinity;
 * values below 2^-14 become binary16 subnormals, rounded to a multiple of 2^-24 (so |x| <= 2^-25 gives a
 * signed zero); every NaN becomes the quiet NaN {@code sign | 0x7E00} (payload dropped). Unpacking is exact
 * and keeps a NaN's payload in the top mantissa bits.
 *
 * <p>bfloat16 packing rounds to nearest, ties to even, on the top 16 bits; finite values that round past
 * the largest bfloat16 become infinity; float subnormals stay subnormal (same exponent range); every NaN
 * becomes {@code sign | 0x7FC0}. Unpacking is the exact shift left by 16.
 */
public final class HalfFloats
{
    private static final int ABS_MASK = 0x7FFF_FFFF;
    private static final int FLOAT_INFINITY = 0x7F80_0000;
    private static final int HALF_OVERFLOW = 0x477F_F000;   // 65520: halfway between 65504 and 2^16
    private static final int HALF_MIN_NORMAL = 0x3880_0000; // 2^-14
    private static final int REBIAS = (127 - 15) << 23;
    private static final float HALF_SUBNORMAL_MAGIC = 0.5f; // ulp(0.5f) == 2^-24, the binary16 subnormal step
    private static final float TWO_POW_MINUS_24 = 0x1p-24f;

    private HalfFloats()
    {
    }

    public static short toHalf(final float x)
    {
        final int bits = Float.floatToRawIntBits(x);
        final int sign = (bits >>> 16) & 0x8000;
        final int abs = bits & ABS_MASK;
        final int magnitude;
        if (abs > FLOAT_INFINITY)
        {
            magnitude = 0x7E00;
        }
        else if (abs >= HALF_OVERFLOW)
        {
            magnitude = 0x7C00;
        }
        else if (abs >= HALF_MIN_NORMAL)
        {
            magnitude = (abs + 0x0FFF + ((abs >>> 13) & 1) - REBIAS) >>> 13;
        }
        else
        {
            // Adding 0.5 lets the FPU round |x| to the binary16 subnormal grid (ties to even).
            magnitude = Float.floatToRawIntBits(Float.intBitsToFloat(abs) + HALF_SUBNORMAL_MAGIC) - 0x3F00_0000;
        }
        return (short)(sign | magnitude);
    }

    public static float fromHalf(final short half)
    {
        final int h = half & 0xFFFF;
        final int sign = (h & 0x8000) << 16;
        final int exponent = (h >>> 10) & 0x1F;
        final int mantissa = h & 0x3FF;
        if (exponent == 0x1F)
        {
            return Float.intBitsToFloat(sign | FLOAT_INFINITY | (mantissa << 13));
        }
        if (exponent == 0)
        {
            return Float.intBitsToFloat(sign | Float.floatToRawIntBits(mantissa * TWO_POW_MINUS_24));
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    public static short toBfloat16(final float x)
    {
        final int bits = Float.floatToRawIntBits(x);
        if ((bits & ABS_MASK) > FLOAT_INFINITY)
        {
            return (short)(((bits >>> 16) & 0x8000) | 0x7FC0);
        }
        return (short)((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    public static float fromBfloat16(final short bf16)
    {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }
}
