package io.tributary.trainer.config;

/**
 * A user error in a run configuration: names where the value came from (a file or a {@code --set}), the key
 * path and what was expected. The CLI prints {@link #getMessage()} as one line and exits with code 2.
 */
public final class ConfigException extends RuntimeException
{
    private final String source;
    private final String keyPath;

    public ConfigException(final String source, final String keyPath, final String expectation)
    {
        super(source + (keyPath.isEmpty() ? "" : ": " + keyPath) + ": " + expectation, null, false, false);
        this.source = source;
        this.keyPath = keyPath;
    }

    public String source()
    {
        return source;
    }

    public String keyPath()
    {
        return keyPath;
    }
}
