package io.tributary.kernels;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** Finds the built JNI library for tests, and skips them with a printed reason where it or a GPU is missing. */
final class CudaSupport
{
    /** Where gpu-kernels/src/main/cuda/build.sh gpu-kernels/target/native puts it (.ci/run does that). */
    static final Path BUILT_LIBRARY = Path.of("target/native/libtributary_kernels.so");

    private CudaSupport()
    {
    }

    /** True when a library is available: the path property, the resource packed by -Pcuda, or BUILT_LIBRARY. */
    static boolean libraryAvailable()
    {
        if (System.getProperty(NativeLibrary.PATH_PROPERTY) == null && Files.isRegularFile(BUILT_LIBRARY) &&
            NativeLibrary.class.getResource(NativeLibrary.RESOURCE) == null)
        {
            System.setProperty(NativeLibrary.PATH_PROPERTY, BUILT_LIBRARY.toAbsolutePath().toString());
        }
        return System.getProperty(NativeLibrary.PATH_PROPERTY) != null ||
            NativeLibrary.class.getResource(NativeLibrary.RESOURCE) != null;
    }

    static final String NOT_BUILT =
        "libtributary_kernels.so is not built (run gpu-kernels/src/main/cuda/build.sh gpu-kernels/target/native, or mvn -Pcuda)";

    static void assumeLibrary()
    {
        if (!libraryAvailable())
        {
            skip(NOT_BUILT);
        }
    }

    static void skip(final String reason)
    {
        System.out.println("[skipped] CUDA test: " + reason);
        Assumptions.abort(reason);
    }
}
