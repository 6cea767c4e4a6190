package io.tributary.trainer.data;

/** Input data that cannot be used (missing, truncated, corrupt): a user error, reported as one line. */
public final class DataException extends RuntimeException
{
    public DataException(final String message)
    {
        super(message, null, false, false);
    }
}
