package io.tributary.transport;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A direct buffer of floats that travels the ring encoded by a {@link WireCodec}. Every chunk a rank sends fresh
 * is encoded; a chunk of the segment it owns is then replaced, in its own buffer, by the decoding of what was
 * sent (its other fresh chunks are partial sums, overwritten later by the allgather); a chunk received
 * to be added is decoded and added in fp32; a chunk received to be copied is decoded over the floats and its
 * bytes are kept so that the next hop forwards them unchanged. So the owner of a reduced segment and every
 * rank it reaches hold the same decoded floats, bit for bit.
 *
 * <p>Chunks are addressed by float index / chunkFloats: the caller cuts the buffer into chunk-aligned segments.
 * Scratch buffers grow to the largest call and are then reused.
 */
final class CodedFloats implements FloatView
{
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final int rank;
    private WireCodec codec;
    private long address;
    private int capacity;
    private int chunkFloats;
    private int chunkBytes;
    private long seed;
    private long encodes;
    private int ownedFrom;
    private int ownedTo;
    private ByteBuffer floats = direct(0);
    private ByteBuffer encoded = direct(0);
    private ByteBuffer forwarded = direct(0);

    CodedFloats(final int rank)
    {
        this.rank = rank;
    }

    /** The most floats whose encoding fits in maxPayloadBytes (at least one). */
    static int chunkFloats(final WireCodec codec, final int maxPayloadBytes)
    {
        int low = 1;
        int high = maxPayloadBytes * Byte.SIZE;
        while (low < high)
        {
            final int mid = (int)(((long)low + high + 1) >>> 1);
            if (codec.encodedBytes(mid) <= maxPayloadBytes)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }

    /** [ownedFrom, ownedTo) are the floats of the segment this rank reduces last and sends to every rank. */
    CodedFloats wrap(final ByteBuffer data, final int count, final WireCodec codec, final long seed,
        final int chunkFloats, final int ownedFrom, final int ownedTo)
    {
        this.ownedFrom = ownedFrom;
        this.ownedTo = ownedTo;
        this.codec = codec;
        this.address = BufferUtil.address(data);
        this.capacity = count;
        this.seed = seed;
        this.encodes = 0;
        this.chunkFloats = chunkFloats;
        this.chunkBytes = codec.encodedBytes(chunkFloats);
        final int chunks = (int)(((long)count + chunkFloats - 1) / chunkFloats);
        floats = atLeast(floats, (long)chunkFloats * Float.BYTES);
        encoded = atLeast(encoded, chunkBytes);
        forwarded = atLeast(forwarded, (long)chunks * chunkBytes);
        return this;
    }

    public int capacity()
    {
        return capacity;
    }

    public int payloadBytes(final int count)
    {
        return count == 0 ? 0 : codec.encodedBytes(count);
    }

    public void copyTo(final MutableDirectBuffer dst, final int dstOffset, final int index, final int count)
    {
        if (count == 0)
        {
            return;
        }
        final int bytes = codec.encodedBytes(count);
        UnsafeApi.copyMemory(floatAddress(index), BufferUtil.address(floats), (long)count * Float.BYTES);
        codec.encode(floats, count, encoded, nextKey());
        dst.putBytes(dstOffset, encoded, 0, bytes);
        if (index >= ownedFrom && index < ownedTo)
        {
            codec.decode(encoded, count, floats);
            UnsafeApi.copyMemory(BufferUtil.address(floats), floatAddress(index), (long)count * Float.BYTES);
        }
    }

    public void forwardTo(final MutableDirectBuffer dst, final int dstOffset, final int index, final int count)
    {
        dst.putBytes(dstOffset, forwarded, chunkOf(index) * chunkBytes, payloadBytes(count));
    }

    public void copyFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
    {
        if (count == 0)
        {
            return;
        }
        final int bytes = codec.encodedBytes(count);
        src.getBytes(srcOffset, encoded, 0, bytes);
        forwarded.put(chunkOf(index) * chunkBytes, encoded, 0, bytes);
        codec.decode(encoded, count, floats);
        UnsafeApi.copyMemory(BufferUtil.address(floats), floatAddress(index), (long)count * Float.BYTES);
    }

    public void addFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
    {
        if (count == 0)
        {
            return;
        }
        src.getBytes(srcOffset, encoded, 0, codec.encodedBytes(count));
        codec.decode(encoded, count, floats);
        final long from = BufferUtil.address(floats);
        final long to = floatAddress(index);
        for (int i = 0; i < count; i++)
        {
            final long at = to + (long)i * Float.BYTES;
            UnsafeApi.putFloat(at, UnsafeApi.getFloat(at) + UnsafeApi.getFloat(from + (long)i * Float.BYTES));
        }
    }

    private long floatAddress(final int index)
    {
        return address + (long)index * Float.BYTES;
    }

    private int chunkOf(final int index)
    {
        return index / chunkFloats;
    }

    /** A different key for every chunk any rank encodes in this call (splitmix64 of a per-rank counter). */
    private long nextKey()
    {
        long z = seed + GOLDEN_GAMMA * ((long)rank << 32 | encodes++);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static ByteBuffer atLeast(final ByteBuffer buffer, final long bytes)
    {
        if (bytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("an encoded vector of " + bytes + " bytes is over 2 GiB");
        }
        return buffer.capacity() >= bytes ? buffer : direct((int)bytes);
    }

    private static ByteBuffer direct(final int bytes)
    {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
