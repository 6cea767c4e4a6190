package io.tributary.transport;

/**
 * A peer stopped answering: its Aeron images went away (process died, network cut) or it sent nothing
 * before the deadline of a collective that needed it.
 */
public final class PeerLostException extends TransportException
{
    private static final long serialVersionUID = 1L;

    private final int lostRank;

    public PeerLostException(final int lostRank, final String message)
    {
        super(message);
        this.lostRank = lostRank;
    }

    /** The rank that was lost. */
    public int lostRank()
    {
        return lostRank;
    }
}
