package io.tributary.transport;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/**
 * A direct ByteBuffer of native-order floats as a {@link FloatView}, from byte 0 of the buffer
 * (position and limit are ignored). Rewrapped per call, so no allocation.
 */
final class BufferFloats implements FloatView
{
    private long address;
    private int capacity;

    BufferFloats wrap(final ByteBuffer buffer, final int capacity)
    {
        this.address = BufferUtil.address(buffer);
        this.capacity = capacity;
        return this;
    }

    public int capacity()
    {
        return capacity;
    }

    public void copyTo(final MutableDirectBuffer dst, final int dstOffset, final int index, final int count)
    {
        final int bytes = count * Float.BYTES;
        dst.boundsCheck(dstOffset, bytes);
        final long from = address + (long)index * Float.BYTES;
        UnsafeApi.copyMemory(null, from, dst.byteArray(), dst.addressOffset() + dstOffset, bytes);
    }

    public void copyFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
    {
        final int bytes = count * Float.BYTES;
        src.boundsCheck(srcOffset, bytes);
        final long to = address + (long)index * Float.BYTES;
        UnsafeApi.copyMemory(src.byteArray(), src.addressOffset() + srcOffset, null, to, bytes);
    }

    public void addFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
    {
        src.boundsCheck(srcOffset, count * Float.BYTES);
        final byte[] srcArray = src.byteArray();
        final long srcAddress = src.addressOffset() + srcOffset;
        final long dstAddress = address + (long)index * Float.BYTES;
        for (int i = 0; i < count; i++)
        {
            final long at = dstAddress + (long)i * Float.BYTES;
            final float addend = UnsafeApi.getFloat(srcArray, srcAddress + (long)i * Float.BYTES);
            UnsafeApi.putFloat(at, UnsafeApi.getFloat(at) + addend);
        }
    }
}
