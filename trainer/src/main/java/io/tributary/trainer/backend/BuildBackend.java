package io.tributary.trainer.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The ND4J backend this build was packaged with: {@code cpu} (nd4j-native, the default profile) or
 * {@code cuda} ({@code mvn -Pcuda}). Read from a resource Maven filters at build time, so asking does not
 * start ND4J (whose CUDA backend fails hard on a machine without a GPU).
 */
public final class BuildBackend
{
    static final String RESOURCE = "/io/tributary/trainer/build.properties";

    private BuildBackend()
    {
    }

    public static String name()
    {
        try (InputStream in = BuildBackend.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                return "cpu";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("nd4j.backend", "cpu").trim();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
