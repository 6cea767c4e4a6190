package io.tributary.kernels;

/**
 * The parity checks without JUnit, for bench/gpu-check.sh on a GPU machine that has only a jlink'ed runtime.
 * Prints one PASS/FAIL line per group; exit status 0 all pass, 1 a failure, 3 no CUDA device.
 */
public final class CudaParityMain
{
    private CudaParityMain()
    {
    }

    public static void main(final String[] args)
    {
        final CudaGradientKernels cuda;
        try
        {
            cuda = CudaGradientKernels.open(0);
        }
        catch (final IllegalStateException e)
        {
            System.out.println("java parity: " + e.getMessage());
            System.exit(e instanceof NoCudaDeviceException ? 3 : 1);
            return;
        }
        final ParityChecks checks = new ParityChecks(new CpuGradientKernels(), cuda);
        final Runnable[] groups = {checks::arithmetic, checks::conversions, checks::quantisation, checks::sparseCodecs, checks::subnormals, checks::manyInputs, checks::edges, checks::largeBuckets};
        final String[] names = {"arithmetic", "conversions", "quantisation", "sparse codecs", "subnormals", "many inputs", "edges", "large buckets"};
        int failures = 0;
        for (int i = 0; i < groups.length; i++)
        {
            try
            {
                groups[i].run();
                System.out.println("  java parity " + names[i] + ": PASS");
            }
            catch (final AssertionError | RuntimeException e)
            {
                failures++;
                System.out.println("  java parity " + names[i] + ": FAIL " + e.getMessage());
            }
        }
        cuda.close();
        System.out.println("java parity: " + (failures == 0 ? "ALL PASS" : failures + " group(s) FAILED"));
        System.exit(failures == 0 ? 0 : 1);
    }
}
