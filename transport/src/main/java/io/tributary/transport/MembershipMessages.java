package io.tributary.transport;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encoding of the membership messages (join, welcome, refuse, abort, leave). They are sent a few times per job,
 * so they favour clarity over zero allocation. Every read is bounded by the fragment: a malformed message
 * raises {@link IllegalArgumentException}, which the caller counts and drops.
 */
final class MembershipMessages
{
    static final int JOIN = 1;
    static final int WELCOME = 2;
    static final int REFUSE = 3;
    static final int ABORT = 4;
    /** Sent on every control publication by a rank that closes: its image then ends after unread data. */
    static final int LEAVE = 5;

    /** Type, nonce and world size in front of a world view's endpoint and node id per rank. */
    static final int WELCOME_HEADER_LENGTH = Integer.BYTES + Long.BYTES + Integer.BYTES;

    private static final int MAX_STRING = 1024;

    private MembershipMessages()
    {
    }

    /** A join as rank 0 sees it. */
    record Join(int rank, int mtu, long nonce, String jobId, String token, String nodeId, String endpoint)
    {
    }

    static final class Writer
    {
        final MutableDirectBuffer buffer = new ExpandableArrayBuffer(256);
        int length;

        Writer type(final int type)
        {
            length = 0;
            return putInt(type);
        }

        Writer putInt(final int value)
        {
            buffer.putInt(length, value);
            length += Integer.BYTES;
            return this;
        }

        Writer putLong(final long value)
        {
            buffer.putLong(length, value);
            length += Long.BYTES;
            return this;
        }

        Writer putString(final String value)
        {
            length += buffer.putStringAscii(length, value);
            return this;
        }
    }

    static final class Reader
    {
        private DirectBuffer buffer;
        private int position;
        private int limit;

        Reader wrap(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.position = offset;
            this.limit = offset + length;
            return this;
        }

        int getInt()
        {
            need(Integer.BYTES);
            final int value = buffer.getInt(position);
            position += Integer.BYTES;
            return value;
        }

        long getLong()
        {
            need(Long.BYTES);
            final long value = buffer.getLong(position);
            position += Long.BYTES;
            return value;
        }

        String getString()
        {
            final int length = getInt();
            if (length < 0 || length > MAX_STRING)
            {
                throw new IllegalArgumentException("string length " + length + " out of range");
            }
            need(length);
            final String value = buffer.getStringWithoutLengthAscii(position, length);
            position += length;
            return value;
        }

        private void need(final int bytes)
        {
            if (position + bytes > limit)
            {
                throw new IllegalArgumentException("message truncated");
            }
        }
    }

    static void writeWelcome(final Writer writer, final long nonce, final String[] endpoints, final String[] nodeIds)
    {
        writer.type(WELCOME).putLong(nonce).putInt(endpoints.length);
        for (int q = 0; q < endpoints.length; q++)
        {
            writer.putString(endpoints[q]).putString(nodeIds[q]);
        }
    }

    static Join readJoin(final Reader reader)
    {
        return new Join(reader.getInt(), reader.getInt(), reader.getLong(), reader.getString(), reader.getString(),
            reader.getString(), reader.getString());
    }
}
