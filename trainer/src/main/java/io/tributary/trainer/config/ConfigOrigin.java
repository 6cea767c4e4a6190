package io.tributary.trainer.config;

import java.util.Map;

/**
 * Where each key of a configuration came from: the YAML file, unless a {@code --set} override replaced it
 * (or one of its parents), in which case errors name that override.
 */
final class ConfigOrigin
{
    private final String file;
    private final Map<String, String> overrides;

    ConfigOrigin(final String file, final Map<String, String> overrides)
    {
        this.file = file;
        this.overrides = overrides;
    }

    String sourceOf(final String keyPath)
    {
        String path = keyPath;
        while (true)
        {
            final String raw = overrides.get(path);
            if (raw != null)
            {
                return "--set " + path + "=" + raw;
            }
            final int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            if (cut <= 0)
            {
                return file;
            }
            path = path.substring(0, cut);
        }
    }

    String file()
    {
        return file;
    }

    ConfigException error(final String keyPath, final String expectation)
    {
        return new ConfigException(sourceOf(keyPath), keyPath, expectation);
    }
}
