package io.tributary.transport;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/**
 * A direct ByteBuffer of native-order floats as a {@link FloatView}, from byte 0 of the buffer
 * (position and limit are ignored). Rewrapped per call, so no allocation.
 */
final class BufferFloats extends UnsafeFloats
{
    BufferFloats wrap(final ByteBuffer buffer, final int capacity)
    {
        wrapMemory(null, BufferUtil.address(buffer), capacity);
        return this;
    }

    public void addFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
    {
        src.boundsCheck(srcOffset, count * Float.BYTES);
        final byte[] srcArray = src.byteArray();
        final long srcAddress = src.addressOffset() + srcOffset;
        final long dstAddress = baseOffset + (long)index * Float.BYTES;
        for (int i = 0; i < count; i++)
        {
            final long at = dstAddress + (long)i * Float.BYTES;
            final float addend = UnsafeApi.getFloat(srcArray, srcAddress + (long)i * Float.BYTES);
            UnsafeApi.putFloat(at, UnsafeApi.getFloat(at) + addend);
        }
    }
}
