package io.tributary.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CPU vs CUDA, byte for byte (see ParityChecks). Skipped, with the reason printed, where no GPU exists. */
class CudaParityTest
{
    private static CudaGradientKernels cuda;
    private static ParityChecks checks;

    @BeforeAll
    static void open()
    {
        cuda = CudaSupport.openOrSkip();
        checks = new ParityChecks(new CpuGradientKernels(), cuda);
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
}
