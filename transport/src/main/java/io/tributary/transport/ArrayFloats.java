package io.tributary.transport;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/** A float[] as a {@link FloatView}; rewrapped per call, so no allocation. */
final class ArrayFloats extends UnsafeFloats
{
    private static final long BASE = UnsafeApi.arrayBaseOffset(float[].class);

    private float[] array;

    ArrayFloats wrap(final float[] array, final int capacity)
    {
        this.array = array;
        wrapMemory(array, BASE, capacity);
        return this;
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
