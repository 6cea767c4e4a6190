package io.tributary.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/** A float[] as a {@link FloatView}; rewrapped per call, so no allocation. */
final class ArrayFloats implements FloatView
{
    private static final long BASE = UnsafeApi.arrayBaseOffset(float[].class);

    private float[] array;
    private int capacity;

    ArrayFloats wrap(final float[] array, final int capacity)
    {
        this.array = array;
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
        final long from = BASE + (long)index * Float.BYTES;
        UnsafeApi.copyMemory(array, from, dst.byteArray(), dst.addressOffset() + dstOffset, bytes);
    }

    public void copyFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
    {
        final int bytes = count * Float.BYTES;
        src.boundsCheck(srcOffset, bytes);
        final long to = BASE + (long)index * Float.BYTES;
        UnsafeApi.copyMemory(src.byteArray(), src.addressOffset() + srcOffset, array, to, bytes);
    }

    public void addFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
    {
        src.boundsCheck(srcOffset, count * Float.BYTES);
        final float[] a = array;
        final byte[] srcArray = src.byteArray();
        final long srcAddress = src.addressOffset() + srcOffset;
        for (int i = 0; i < count; i++)
        {
            a[index + i] += UnsafeApi.getFloat(srcArray, srcAddress + (long)i * Float.BYTES);
        }
    }
}
