package io.tributary.transport;

import org.agrona.BitUtil;

/**
 * Channel strings and stream ids. Over UDP every rank receives control and data on one endpoint, with a
 * stream id per purpose. Over IPC all ranks share one driver, so the destination rank goes into the
 * stream id instead. Each rank publishes with session id {@link #SESSION_BASE} + rank, so an image that
 * goes away tells which rank was lost.
 */
final class Channels
{
    static final int JOIN_STREAM = 0x7B01;
    static final int CONTROL_STREAM = 0x7B02;
    static final int DATA_STREAM = 0x7B03;
    static final int IPC_CONTROL_STREAM_BASE = 0x7C00;
    static final int IPC_DATA_STREAM_BASE = 0x7D00;
    static final int SESSION_BASE = 0x3C5A0000;
    static final String IPC_ENDPOINT = "ipc";

    /**
     * Characters of endpoint plus node id per rank that rank 0's world view is sized for; at the largest
     * world this keeps rank 0's control terms at 256 KiB. Longer names are refused at the rendezvous.
     */
    static final int WELCOME_CHARS_PER_RANK = 112;

    private static final int CONTROL_TERM_LENGTH = 64 * 1024;
    private static final int CONTROL_MTU = 8192;

    private final TransportContext ctx;

    Channels(final TransportContext ctx)
    {
        this.ctx = ctx;
    }

    String joinSubscription()
    {
        return "aeron:udp?endpoint=" + ctx.rendezvousEndpoint();
    }

    String joinPublication()
    {
        return "aeron:udp?endpoint=" + ctx.rendezvousEndpoint() + "|mtu=" + CONTROL_MTU + "|term-length=" +
            CONTROL_TERM_LENGTH;
    }

    String subscriptionAt(final String resolvedEndpoint)
    {
        return ctx.ipc() ? "aeron:ipc" : "aeron:udp?endpoint=" + resolvedEndpoint;
    }

    int controlStream(final int toRank)
    {
        return ctx.ipc() ? IPC_CONTROL_STREAM_BASE + toRank : CONTROL_STREAM;
    }

    int dataStream(final int toRank)
    {
        return ctx.ipc() ? IPC_DATA_STREAM_BASE + toRank : DATA_STREAM;
    }

    /** Rank 0's control publications carry the world view, so their terms grow with the world. */
    String controlPublication(final String endpoint, final int fromRank)
    {
        final int termLength = fromRank == 0 ? welcomeTermLength(ctx.worldSize()) : CONTROL_TERM_LENGTH;
        return publication(endpoint, CONTROL_MTU, termLength) + "|session-id=" + (SESSION_BASE + fromRank);
    }

    /** A term whose largest message (a term / 8) holds a world view with the name budget per rank. */
    static int welcomeTermLength(final int worldSize)
    {
        final int welcome = MembershipMessages.WELCOME_HEADER_LENGTH +
            worldSize * (2 * Integer.BYTES + WELCOME_CHARS_PER_RANK);
        return Math.max(CONTROL_TERM_LENGTH, BitUtil.findNextPositivePowerOfTwo(8 * welcome));
    }

    /** Control publication without a session id, for replies to a join that is refused. */
    String replyPublication(final String endpoint)
    {
        return publication(endpoint, CONTROL_MTU, CONTROL_TERM_LENGTH);
    }

    String dataPublication(final String endpoint, final int fromRank)
    {
        return publication(endpoint, ctx.mtu(), ctx.termLength()) + "|session-id=" + (SESSION_BASE + fromRank);
    }

    private String publication(final String endpoint, final int mtu, final int termLength)
    {
        final String media = ctx.ipc() ? "aeron:ipc?" : "aeron:udp?endpoint=" + endpoint + "|";
        return media + "mtu=" + mtu + "|term-length=" + termLength;
    }

    /** The rank that publishes with this session id, or -1. */
    static int rankOfSession(final int sessionId, final int worldSize)
    {
        final int rank = sessionId - SESSION_BASE;
        return rank >= 0 && rank < worldSize ? rank : -1;
    }
}
