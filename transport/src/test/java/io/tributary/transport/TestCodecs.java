package io.tributary.transport;

import java.nio.ByteBuffer;

/** Two small codecs for the encoded ring: one deterministic and lossless on small integers, one random. */
final class TestCodecs
{
    private TestCodecs()
    {
    }

    /** The upper 16 bits of each float (bfloat16 by truncation): exact for integers up to 256 in magnitude. */
    static final class Truncating implements WireCodec
    {
        public int encodedBytes(final int floats)
        {
            return floats * Short.BYTES;
        }

        public void encode(final ByteBuffer src, final int count, final ByteBuffer dst, final long key)
        {
            for (int i = 0; i < count; i++)
            {
                dst.putShort(i * Short.BYTES, (short)(Float.floatToRawIntBits(src.getFloat(i * Float.BYTES)) >>> 16));
            }
        }

        public void decode(final ByteBuffer src, final int count, final ByteBuffer dst)
        {
            for (int i = 0; i < count; i++)
            {
                dst.putFloat(i * Float.BYTES, Float.intBitsToFloat(src.getShort(i * Short.BYTES) << 16));
            }
        }
    }

    /**
     * One byte per value plus a leading fp32 scale (the largest magnitude), rounded up or down at random with
     * the probability that makes it unbiased; the randomness comes from the key alone.
     */
    static final class Stochastic8 implements WireCodec
    {
        long keysSeen;

        public int encodedBytes(final int floats)
        {
            return floats == 0 ? 0 : Float.BYTES + floats;
        }

        public void encode(final ByteBuffer src, final int count, final ByteBuffer dst, final long key)
        {
            keysSeen ^= key;
            float scale = 0;
            for (int i = 0; i < count; i++)
            {
                scale = Math.max(scale, Math.abs(src.getFloat(i * Float.BYTES)));
            }
            dst.putFloat(0, scale);
            long state = key;
            for (int i = 0; i < count; i++)
            {
                state = state * 6364136223846793005L + 1442695040888963407L;
                final double uniform = (state >>> 11) * 0x1.0p-53;
                final double scaled = scale == 0 ? 0 : src.getFloat(i * Float.BYTES) / scale * 127.0;
                final double floor = Math.floor(scaled);
                dst.put(Float.BYTES + i, (byte)(floor + (uniform < scaled - floor ? 1 : 0)));
            }
        }

        public void decode(final ByteBuffer src, final int count, final ByteBuffer dst)
        {
            final float scale = src.getFloat(0);
            for (int i = 0; i < count; i++)
            {
                dst.putFloat(i * Float.BYTES, src.get(Float.BYTES + i) * scale / 127.0f);
            }
        }
    }
}
