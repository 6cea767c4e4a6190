package io.tributary.trainer.model;

/** A model that cannot be built, loaded or fed the configured data: a user error, reported as one line. */
public final class ModelException extends RuntimeException
{
    public ModelException(final String message)
    {
        super(message, null, false, false);
    }
}
