package io.tributary.kernels;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaLoadingTest
{
    @Test
    void missingLibraryIsOneClearError()
    {
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> NativeLibrary.loadFrom(Path.of("/nonexistent/libtributary_kernels.so")));
        assertEquals("CUDA kernels library not found: /nonexistent/libtributary_kernels.so", e.getMessage());
    }

    /** Without a GPU (no /dev/nvidiactl, as on this build machine and CI) opening must throw, not crash. */
    @Test
    void openingWithoutADeviceIsANoCudaDeviceError()
    {
        CudaSupport.assumeLibrary();
        if (Files.exists(Path.of("/dev/nvidiactl")))
        {
            assertTrue(CudaDeviceKernels.deviceCount() > 0, "a GPU machine reports its devices");
            CudaGradientKernels.open(0).close();
            return;
        }
        final NoCudaDeviceException e = assertThrows(NoCudaDeviceException.class, () -> CudaGradientKernels.open(0));
        assertTrue(e.getMessage().startsWith("no CUDA device: cudaGetDeviceCount failed with CUDA error "), e.getMessage());
        assertEquals(0, CudaDeviceKernels.deviceCount());
        System.out.println("CudaLoadingTest: as expected here: " + e.getMessage());
    }
}
