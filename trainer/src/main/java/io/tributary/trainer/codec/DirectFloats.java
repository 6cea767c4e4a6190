package io.tributary.trainer.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Native-order direct buffers, the form every kernel and collective takes, and the one fill they need. */
public final class DirectFloats
{
    private DirectFloats()
    {
    }

    public static ByteBuffer floats(final int count)
    {
        return bytes(Math.multiplyExact(count, Float.BYTES));
    }

    public static ByteBuffer bytes(final int count)
    {
        return ByteBuffer.allocateDirect(Math.max(count, 1)).order(ByteOrder.nativeOrder());
    }

    /** Sets floats [0, count) to +0. */
    public static void zero(final ByteBuffer floats, final int count)
    {
        final int bytes = count * Float.BYTES;
        int b = 0;
        for (final int end = bytes & ~7; b < end; b += Long.BYTES)
        {
            floats.putLong(b, 0L);
        }
        for (; b < bytes; b += Float.BYTES)
        {
            floats.putInt(b, 0);
        }
    }
}
