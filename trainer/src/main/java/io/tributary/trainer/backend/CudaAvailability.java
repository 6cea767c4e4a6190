package io.tributary.trainer.backend;

import io.tributary.kernels.CudaDeviceKernels;

import java.util.List;

/** Whether {@code cluster.backend: cuda} can run here, and if not, why, in one line. */
public final class CudaAvailability
{
    static final String CPU_BUILD = "'cuda' needs the ND4J CUDA backend, but this build has the CPU backend " +
        "(nd4j-native): rebuild with mvn -Pcuda -DskipTests package (nd4j-cuda-11.6 1.0.0-M2.1 runs on sm_37..sm_86 " +
        "only; Hopper GPUs need a custom libnd4j build, selected with -Dnd4j.cuda.artifactId=... -Dnd4j.cuda.version=...)";

    private CudaAvailability()
    {
    }

    /** @return null when the build has the CUDA backend and every GPU id opens, else the reason */
    public static String unavailableReason(final List<Integer> gpus)
    {
        if (!"cuda".equals(BuildBackend.name()))
        {
            return CPU_BUILD;
        }
        for (final int gpu : gpus)
        {
            try (CudaDeviceKernels ignored = CudaDeviceKernels.open(gpu))
            {
                // Opening a context is the check: the library loads and the device exists.
            }
            catch (final IllegalStateException ex)
            {
                // NoCudaDeviceException (no driver, no device, too few devices) or the library missing / unloadable.
                return "'cuda' is unavailable: " + oneLine(ex.getMessage());
            }
        }
        return null;
    }

    private static String oneLine(final String message)
    {
        return message == null ? "unknown error" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
