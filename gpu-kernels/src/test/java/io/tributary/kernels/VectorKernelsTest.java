package io.tributary.kernels;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static io.tributary.kernels.Buffers.direct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vector API kernels against the scalar definitions, every lane and the tail. */
class VectorKernelsTest
{
    @Test
    void surefireRunsTheVectorPath()
    {
        assertTrue(CpuGradientKernels.VECTORISED, "gpu-kernels/pom.xml passes --add-modules jdk.incubator.vector to tests");
    }

    @Test
    void arithmeticMatchesTheScalarDefinitions()
    {
        final int n = 10_007;
        final ByteBuffer x = ReferenceData.specialFloats(n, 3);
        final ByteBuffer y = ReferenceData.gradient(n, 4);
        for (int i = 0; i < 64; i++)
        {
            // alpha * x = 1 + 2^-11 + 2^-24 rounds to 1 + 2^-11; a fused multiply-add would leave 2^-24.
            x.putFloat(i << 2, 1.0f + 0x1p-12f);
            y.putFloat(i << 2, -(1.0f + 0x1p-11f));
        }
        final float alpha = 1.0f + 0x1p-12f;
        final ByteBuffer out = direct(n * 4);
        VectorKernels.add(x, y, out, n);
        for (int i = 0; i < n; i++)
        {
            assertEquals(Float.floatToRawIntBits(x.getFloat(i << 2) + y.getFloat(i << 2)), out.getInt(i << 2), "add " + i);
        }
        final ByteBuffer axpy = direct(n * 4);
        axpy.put(y.duplicate().clear()).clear();
        VectorKernels.axpy(n, alpha, x, axpy);
        for (int i = 0; i < n; i++)
        {
            assertEquals(Float.floatToRawIntBits(alpha * x.getFloat(i << 2) + y.getFloat(i << 2)), axpy.getInt(i << 2), "axpy " + i);
        }
        assertEquals(0.0f, axpy.getFloat(0), "no fused multiply-add");
        axpy.put(y.duplicate().clear()).clear();
        VectorKernels.scale(axpy, n, -0.37f);
        for (int i = 0; i < n; i++)
        {
            assertEquals(Float.floatToRawIntBits(-0.37f * y.getFloat(i << 2)), axpy.getInt(i << 2), "scale " + i);
        }
    }

    @Test
    void unpackMatchesTheScalarForEveryCode()
    {
        final int n = 0x10000 + 5; // every code, then a ragged tail
        final ByteBuffer codes = direct(n * 2);
        for (int i = 0; i < n; i++)
        {
            codes.putShort(i << 1, (short)i);
        }
        final ByteBuffer out = direct(n * 4);
        VectorKernels.unpackHalf(codes, out, n);
        for (int i = 0; i < n; i++)
        {
            assertEquals(Float.floatToRawIntBits(HalfFloats.fromHalf((short)i)), out.getInt(i << 2), "half code " + i);
        }
        VectorKernels.unpackBfloat16(codes, out, n);
        for (int i = 0; i < n; i++)
        {
            assertEquals(Float.floatToRawIntBits(HalfFloats.fromBfloat16((short)i)), out.getInt(i << 2), "bfloat16 code " + i);
        }
    }

    @Test
    void packMatchesTheScalarOnEdgesTiesAndRandomBits()
    {
        final int n = 200_003;
        final ByteBuffer src = ReferenceData.specialFloats(n, 17);
        // Every binary16 code's float and its upper midpoint, both signs: each rounding boundary once.
        for (int h = 0; h < 0x7C00 && 4 * h + 3 < n; h++)
        {
            final float f = HalfFloats.fromHalf((short)h);
            final float next = HalfFloats.fromHalf((short)(h + 1));
            src.putFloat((4 * h) << 2, f);
            src.putFloat((4 * h + 1) << 2, -f);
            src.putFloat((4 * h + 2) << 2, (f + next) / 2);
            src.putFloat((4 * h + 3) << 2, Math.nextUp(-(f + next) / 2));
        }
        final ByteBuffer out = direct(n * 2);
        VectorKernels.packHalf(src, out, n);
        for (int i = 0; i < n; i++)
        {
            final float x = src.getFloat(i << 2);
            assertEquals(HalfFloats.toHalf(x), out.getShort(i << 1), () -> "half of " + x);
        }
        VectorKernels.packBfloat16(src, out, n);
        for (int i = 0; i < n; i++)
        {
            final float x = src.getFloat(i << 2);
            assertEquals(HalfFloats.toBfloat16(x), out.getShort(i << 1), () -> "bfloat16 of " + x);
        }
    }
}
