package io.tributary.trainer.replica;

/** Replicas that should hold bit-identical parameters do not: the synchronous step has been broken. */
public final class ReplicaDivergenceException extends RuntimeException
{
    public ReplicaDivergenceException(final String message)
    {
        super(message);
    }
}
