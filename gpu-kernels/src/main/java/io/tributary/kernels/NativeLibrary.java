package io.tributary.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads libtributary_kernels.so once per JVM: from the path in system property {@value #PATH_PROPERTY} when
 * set, else from the classpath resource {@value #RESOURCE} that the {@code cuda} Maven profile packs.
 */
public final class NativeLibrary
{
    public static final String PATH_PROPERTY = "tributary.kernels.library";
    public static final String RESOURCE = "/native/linux-x86_64/libtributary_kernels.so";

    private static Path loaded;

    private NativeLibrary()
    {
    }

    /** @throws IllegalStateException naming where it looked when the library cannot be found or loaded. */
    public static synchronized void load()
    {
        if (loaded != null)
        {
            return;
        }
        final String configured = System.getProperty(PATH_PROPERTY);
        loadFrom(configured != null ? Path.of(configured) : extractResource());
    }

    /** Checks the file before anything else, so a wrong path is reported even after a successful load. */
    static synchronized void loadFrom(final Path library)
    {
        if (!Files.isRegularFile(library))
        {
            throw new IllegalStateException("CUDA kernels library not found: " + library);
        }
        if (loaded != null)
        {
            return;
        }
        try
        {
            System.load(library.toAbsolutePath().toString());
        }
        catch (final UnsatisfiedLinkError e)
        {
            throw new IllegalStateException("CUDA kernels library " + library + " failed to load: " + e.getMessage(), e);
        }
        loaded = library;
    }

    private static Path extractResource()
    {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("CUDA kernels library not found: no resource " + RESOURCE +
                    " (build with mvn -Pcuda) and no -D" + PATH_PROPERTY + "=/path/to/libtributary_kernels.so");
            }
            final Path file = Files.createTempFile("libtributary_kernels", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("CUDA kernels library could not be unpacked: " + e.getMessage(), e);
        }
    }
}
