package io.tributary.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test helpers: direct native-order buffers from and to arrays. */
final class Buffers
{
    private Buffers()
    {
    }

    static ByteBuffer direct(final int bytes)
    {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    static ByteBuffer floats(final float... values)
    {
        final ByteBuffer b = direct(values.length * 4);
        for (int i = 0; i < values.length; i++)
        {
            b.putFloat(i << 2, values[i]);
        }
        return b;
    }

    static ByteBuffer ints(final int... values)
    {
        final ByteBuffer b = direct(values.length * 4);
        for (int i = 0; i < values.length; i++)
        {
            b.putInt(i << 2, values[i]);
        }
        return b;
    }

    static float[] toFloats(final ByteBuffer b, final int n)
    {
        final float[] out = new float[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = b.getFloat(i << 2);
        }
        return out;
    }

    static int[] toInts(final ByteBuffer b, final int n)
    {
        final int[] out = new int[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = b.getInt(i << 2);
        }
        return out;
    }
}
