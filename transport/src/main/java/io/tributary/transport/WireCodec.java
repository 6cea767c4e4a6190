package io.tributary.transport;

import java.nio.ByteBuffer;

/**
 * An encoding of floats in fewer bytes, for {@link Collective#allReduce(ByteBuffer, int, WireCodec, long)}.
 * Buffers are direct, native order, read and written from byte 0 (position and limit are ignored).
 * Implementations must be deterministic given the key: every rank decodes what a sender encoded.
 */
public interface WireCodec
{
    /** Bytes an encoding of {@code floats} values takes; must not decrease as floats grows. */
    int encodedBytes(int floats);

    /**
     * Encodes src[0, count) into dst.
     *
     * @param key seeds any random rounding; the ring passes a different key for every chunk it encodes
     */
    void encode(ByteBuffer src, int count, ByteBuffer dst, long key);

    /** Decodes an encoding of count values from src into dst[0, count), overwriting. */
    void decode(ByteBuffer src, int count, ByteBuffer dst);
}
