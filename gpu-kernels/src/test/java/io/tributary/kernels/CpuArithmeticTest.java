package io.tributary.kernels;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static io.tributary.kernels.Buffers.direct;
import static io.tributary.kernels.Buffers.floats;
import static io.tributary.kernels.Buffers.toFloats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuArithmeticTest
{
    private final CpuGradientKernels kernels = new CpuGradientKernels();

    @Test
    void sumOfIntegerValuesIsExactForAnyInputCount()
    {
        final int n = 1001;
        final SplittableRandom random = new SplittableRandom(1);
        for (int count = 1; count <= 5; count++)
        {
            final ByteBuffer[] inputs = new ByteBuffer[count];
            final long[] expected = new long[n];
            for (int j = 0; j < count; j++)
            {
                final float[] values = new float[n];
                for (int i = 0; i < n; i++)
                {
                    values[i] = random.nextInt(-1_000_000, 1_000_000);
                    expected[i] += (long)values[i];
                }
                inputs[j] = floats(values);
            }
            final ByteBuffer out = direct(n * 4);
            kernels.sum(inputs, count, out, n);
            for (int i = 0; i < n; i++)
            {
                assertEquals((float)expected[i], out.getFloat(i << 2), "count " + count + " element " + i);
            }
        }
    }

    @Test
    void sumAddsLeftToRightAndMayWriteIntoAnInput()
    {
        final ByteBuffer a = floats(1.0f, 0x1p24f);
        final ByteBuffer b = floats(0x1p-24f, 1.0f);
        final ByteBuffer c = floats(0x1p-24f, 1.0f);
        kernels.sum(new ByteBuffer[]{a, b, c}, 3, a, 2);
        // ((1 + 2^-24) + 2^-24) rounds to 1 at each step; (2^24 + 1) + 1 also loses both ones.
        assertArrayEquals(new float[]{1.0f, 0x1p24f}, toFloats(a, 2));
    }

    @Test
    void scaleAndAxpyRoundEachOperationSeparately()
    {
        final ByteBuffer x = floats(3.0f, -0.5f, Float.MIN_VALUE, 1.0f + 0x1p-12f);
        final ByteBuffer y = floats(1.0f, 1.0f, 0.0f, -(1.0f + 0x1p-11f));
        kernels.axpy(4, 1.0f + 0x1p-12f, x, y);
        final float[] result = toFloats(y, 4);
        assertEquals(3.0f * (1.0f + 0x1p-12f) + 1.0f, result[0]);
        assertEquals(Float.MIN_VALUE, result[2], "subnormals are kept (no flush to zero)");
        assertEquals(0.0f, result[3], "a fused multiply-add would give 2^-24 here");

        kernels.scale(x, 3, -2.0f);
        assertArrayEquals(new float[]{-6.0f, 1.0f, -2 * Float.MIN_VALUE}, toFloats(x, 3));
    }

    @Test
    void packAndUnpackBuffersApplyTheScalarDefinitions()
    {
        final float[] values = {0.0f, -0.0f, 1.0f, 65504.0f, 70000.0f, 0x1p-24f, Float.NaN, Float.NEGATIVE_INFINITY, 3.14159f};
        final int n = values.length;
        final ByteBuffer src = floats(values);
        final ByteBuffer half = direct(n * 2);
        final ByteBuffer bf16 = direct(n * 2);
        final ByteBuffer back = direct(n * 4);
        kernels.packHalf(src, half, n);
        kernels.packBfloat16(src, bf16, n);
        for (int i = 0; i < n; i++)
        {
            assertEquals(HalfFloats.toHalf(values[i]), half.getShort(i << 1));
            assertEquals(HalfFloats.toBfloat16(values[i]), bf16.getShort(i << 1));
        }
        kernels.unpackHalf(half, back, n);
        assertArrayEquals(new float[]{0.0f, -0.0f, 1.0f, 65504.0f, Float.POSITIVE_INFINITY, 0x1p-24f, Float.NaN,
            Float.NEGATIVE_INFINITY, 3.140625f}, toFloats(back, n));
        kernels.unpackBfloat16(bf16, back, n);
        assertArrayEquals(new float[]{0.0f, -0.0f, 1.0f, 65536.0f, 70144.0f, 0x1p-24f, Float.NaN,
            Float.NEGATIVE_INFINITY, 3.140625f}, toFloats(back, n));
    }

    @Test
    void rejectsBuffersThatBreakTheConventions()
    {
        final ByteBuffer heap = ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder());
        final IllegalArgumentException notDirect = assertThrows(IllegalArgumentException.class, () -> kernels.scale(heap, 4, 1.0f));
        assertEquals("x must be a direct buffer", notDirect.getMessage());

        final ByteBuffer wrongOrder = ByteBuffer.allocateDirect(16).order(
            java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> kernels.scale(wrongOrder, 4, 1.0f))
            .getMessage().startsWith("x must be in native byte order"));

        final IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
            () -> kernels.axpy(5, 1.0f, direct(20), direct(16)));
        assertEquals("y holds 16 bytes, needs 20 (5 x 4)", tooSmall.getMessage());
        assertThrows(IllegalArgumentException.class, () -> kernels.sum(new ByteBuffer[]{direct(4)}, 0, direct(4), 1));
        assertThrows(IllegalArgumentException.class, () -> kernels.thresholdEncode(direct(4), 1, 0.0f, direct(4), 1));
        assertThrows(IllegalArgumentException.class, () -> kernels.topK(direct(4), 1, 2, direct(8), direct(8)));
    }
}
