package io.tributary.trainer.replica;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Shares the cores between replicas: each replica thread gets cores / devices native threads (at least one,
 * and never more than OMP_NUM_THREADS when that is set), so N replicas do not oversubscribe the machine.
 */
public final class ThreadBudget
{
    private ThreadBudget()
    {
    }

    public static int threadsPerDevice(final int devices)
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        int threads = Math.max(1, cores / devices);
        final String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null && omp.trim().matches("\\d+") && Integer.parseInt(omp.trim()) > 0)
        {
            threads = Math.min(threads, Integer.parseInt(omp.trim()));
        }
        return threads;
    }

    /** Applies the budget to ND4J's op threads, OpenMP and BLAS; returns the threads each replica may use. */
    public static int apply(final int devices)
    {
        final int threads = threadsPerDevice(devices);
        Nd4j.getEnvironment().setMaxThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        return threads;
    }
}
