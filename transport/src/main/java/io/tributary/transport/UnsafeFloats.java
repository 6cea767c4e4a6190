package io.tributary.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Floats addressed the way Unsafe addresses memory: a base object (an array, or null for native memory) and
 * the byte offset of float 0 from it. The bulk copies are then the same for heap and native floats; only
 * {@link #addFrom} differs, so each subclass keeps the loop its memory suits. The methods here are final, so
 * a call through {@link FloatView} costs what it did when each subclass had its own copy.
 */
abstract class UnsafeFloats implements FloatView
{
    private Object base;
    /** Byte offset of float 0 from {@link #base}: an absolute address when base is null. */
    protected long baseOffset;
    private int capacity;

    final void wrapMemory(final Object base, final long baseOffset, final int capacity)
    {
        this.base = base;
        this.baseOffset = baseOffset;
        this.capacity = capacity;
    }

    public final int capacity()
    {
        return capacity;
    }

    public final void copyTo(final MutableDirectBuffer dst, final int dstOffset, final int index, final int count)
    {
        final int bytes = count * Float.BYTES;
        dst.boundsCheck(dstOffset, bytes);
        final long from = baseOffset + (long)index * Float.BYTES;
        UnsafeApi.copyMemory(base, from, dst.byteArray(), dst.addressOffset() + dstOffset, bytes);
    }

    public final void copyFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
    {
        final int bytes = count * Float.BYTES;
        src.boundsCheck(srcOffset, bytes);
        final long to = baseOffset + (long)index * Float.BYTES;
        UnsafeApi.copyMemory(src.byteArray(), src.addressOffset() + srcOffset, base, to, bytes);
    }
}
