package io.tributary.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CPU vs CUDA, byte for byte (see ParityChecks). Skipped, with the reason printed, where no GPU exists. */
class CudaParityTest
{
    private static CudaGradientKernels cuda;
    private static ParityChecks checks;
    private static String skipReason;

    @BeforeAll
    static void open()
    {
        if (!CudaSupport.libraryAvailable())
        {
            skipReason = CudaSupport.NOT_BUILT;
            return;
        }
        try
        {
            cuda = CudaGradientKernels.open(0);
            checks = new ParityChecks(new CpuGradientKernels(), cuda);
        }
        catch (final NoCudaDeviceException e)
        {
            skipReason = e.getMessage();
        }
    }

    /** Each test reports itself skipped, with the reason printed, rather than the class vanishing from the counts. */
    @BeforeEach
    void requireDevice()
    {
        if (checks == null)
        {
            CudaSupport.skip(skipReason);
        }
    }

    @AfterAll
    static void close()
    {
        if (cuda != null)
        {
            cuda.close();
        }
    }

    @Test
    void arithmetic()
    {
        checks.arithmetic();
    }

    @Test
    void conversions()
    {
        checks.conversions();
    }

    @Test
    void quantisation()
    {
        checks.quantisation();
    }

    @Test
    void sparseCodecs()
    {
        checks.sparseCodecs();
    }

    @Test
    void subnormals()
    {
        checks.subnormals();
    }

    @Test
    void manyInputs()
    {
        checks.manyInputs();
    }

    @Test
    void edges()
    {
        checks.edges();
    }

    @Test
    void largeBuckets()
    {
        checks.largeBuckets();
    }
}
