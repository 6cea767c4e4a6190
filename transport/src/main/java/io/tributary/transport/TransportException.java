package io.tributary.transport;

/**
 * A collective or the membership protocol could not complete. The message names the job, the rank and,
 * where one is known, the peer responsible. After one is thrown by a {@link Collective}, that collective
 * is failed and every later call throws again: the ring cannot be resynchronised in place.
 */
public class TransportException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public TransportException(final String message)
    {
        super(message);
    }

    public TransportException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
