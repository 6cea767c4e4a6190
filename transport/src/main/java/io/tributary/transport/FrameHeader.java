package io.tributary.transport;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Layout of the 32-byte header in front of every data frame (native byte order):
 * <pre>
 *   0  long  job id hash     (FNV-1a 64 of the job id)
 *   8  long  sequence        (collectives called so far on this ring)
 *  16  int   chunk index     (frames sent so far in this collective)
 *  20  int   source rank
 *  24  int   payload length  (bytes after the header)
 *  28  int   operation
 * </pre>
 * Every field is checked on receipt against what the receiver expects next; see {@link RingPipeline}.
 */
final class FrameHeader
{
    static final int JOB_OFFSET = 0;
    static final int SEQUENCE_OFFSET = 8;
    static final int CHUNK_OFFSET = 16;
    static final int SOURCE_OFFSET = 20;
    static final int LENGTH_OFFSET = 24;
    static final int OPERATION_OFFSET = 28;
    static final int LENGTH = 32;

    static final int ALL_REDUCE = 1;
    static final int ALL_GATHER_COUNTS = 2;
    static final int ALL_GATHER = 3;
    static final int BROADCAST = 4;
    static final int BARRIER = 5;
    static final int ENCODED_ALL_REDUCE = 6;

    private FrameHeader()
    {
    }

    static void write(
        final MutableDirectBuffer buffer,
        final int offset,
        final long jobHash,
        final long sequence,
        final int chunk,
        final int source,
        final int payloadLength,
        final int operation)
    {
        buffer.putLong(offset + JOB_OFFSET, jobHash);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence);
        buffer.putInt(offset + CHUNK_OFFSET, chunk);
        buffer.putInt(offset + SOURCE_OFFSET, source);
        buffer.putInt(offset + LENGTH_OFFSET, payloadLength);
        buffer.putInt(offset + OPERATION_OFFSET, operation);
    }

    static long jobHash(final String jobId)
    {
        long hash = 0xcbf29ce484222325L;
        for (final byte b : jobId.getBytes(StandardCharsets.UTF_8))
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
