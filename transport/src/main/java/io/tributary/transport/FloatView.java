package io.tributary.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The floats a collective works on, seen through bulk operations so the hot loops stay monomorphic inside
 * each implementation. Indices count floats; callers have checked them against {@link #capacity()}.
 */
interface FloatView
{
    int capacity();

    /** Writes floats [index, index + count) into dst at dstOffset. */
    void copyTo(MutableDirectBuffer dst, int dstOffset, int index, int count);

    /** Overwrites floats [index, index + count) with those in src at srcOffset. */
    void copyFrom(DirectBuffer src, int srcOffset, int index, int count);

    /** Adds the floats in src at srcOffset to floats [index, index + count). */
    void addFrom(DirectBuffer src, int srcOffset, int index, int count);

    /** Bytes that floats travel in: plain floats by default, fewer when encoded. */
    default int payloadBytes(final int count)
    {
        return count * Float.BYTES;
    }

    /** Writes floats [index, index + count) that arrived by a copy step, to be passed on; as copyTo by default. */
    default void forwardTo(final MutableDirectBuffer dst, final int dstOffset, final int index, final int count)
    {
        copyTo(dst, dstOffset, index, count);
    }
}
