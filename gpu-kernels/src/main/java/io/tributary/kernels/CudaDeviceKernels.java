package io.tributary.kernels;

import java.nio.ByteBuffer;

import static io.tributary.kernels.BufferChecks.checkBucketSize;
import static io.tributary.kernels.BufferChecks.checkCount;
import static io.tributary.kernels.BufferChecks.checkK;
import static io.tributary.kernels.BufferChecks.checkTau;

/**
 * {@link DeviceGradientKernels} on one CUDA device, through the JNI library. Every call, {@link #allocate} and
 * {@link #free} included, runs on this instance's device whichever device the calling thread has current,
 * and leaves the thread's current device as it was (ND4J keeps one per thread). Not thread-safe.
 */
public final class CudaDeviceKernels implements DeviceGradientKernels
{
    private long context;

    private CudaDeviceKernels(final long context)
    {
        this.context = context;
    }

    /**
     * Loads the library and opens a context on {@code device}.
     *
     * @throws NoCudaDeviceException where the machine has no CUDA driver or device, or fewer than device + 1.
     * @throws IllegalStateException where the library cannot be found or loaded.
     */
    public static CudaDeviceKernels open(final int device)
    {
        NativeLibrary.load();
        final int count = CudaNative.deviceCount();
        if (count < 0)
        {
            throw new NoCudaDeviceException("no CUDA device: cudaGetDeviceCount failed with CUDA error " + -count +
                " (" + CudaNative.errorString(-count) + ")");
        }
        if (device < 0 || device >= count)
        {
            throw new NoCudaDeviceException("no CUDA device " + device + ": this machine has " + count);
        }
        return new CudaDeviceKernels(CudaNative.create(device));
    }

    /** The number of CUDA devices, 0 where there is no driver or device; loads the library. */
    public static int deviceCount()
    {
        NativeLibrary.load();
        return Math.max(0, CudaNative.deviceCount());
    }

    private long context()
    {
        if (context == 0)
        {
            throw new IllegalStateException("CudaDeviceKernels is closed");
        }
        return context;
    }

    @Override
    public void sum(final long[] inputs, final int inputCount, final long out, final int n)
    {
        checkCount("n", n);
        if (inputCount < 1 || inputCount > inputs.length)
        {
            throw new IllegalArgumentException("inputCount must be in [1, inputs.length], was " + inputCount);
        }
        CudaNative.sum(context(), inputs, inputCount, out, n);
    }

    @Override
    public void scale(final long x, final int n, final float alpha)
    {
        checkCount("n", n);
        CudaNative.scale(context(), x, n, alpha);
    }

    @Override
    public void axpy(final int n, final float alpha, final long x, final long y)
    {
        checkCount("n", n);
        CudaNative.axpy(context(), n, alpha, x, y);
    }

    @Override
    public void packHalf(final long src, final long dst, final int n)
    {
        checkCount("n", n);
        CudaNative.packHalf(context(), src, dst, n);
    }

    @Override
    public void unpackHalf(final long src, final long dst, final int n)
    {
        checkCount("n", n);
        CudaNative.unpackHalf(context(), src, dst, n);
    }

    @Override
    public void packBfloat16(final long src, final long dst, final int n)
    {
        checkCount("n", n);
        CudaNative.packBfloat16(context(), src, dst, n);
    }

    @Override
    public void unpackBfloat16(final long src, final long dst, final int n)
    {
        checkCount("n", n);
        CudaNative.unpackBfloat16(context(), src, dst, n);
    }

    @Override
    public void quantise8(final long src, final int n, final int bucketSize, final long seed, final long codes, final long scales)
    {
        checkCount("n", n);
        checkBucketSize(bucketSize);
        CudaNative.quantise8(context(), src, n, bucketSize, seed, codes, scales);
    }

    @Override
    public void dequantise8(final long codes, final long scales, final int n, final int bucketSize, final long dst)
    {
        checkCount("n", n);
        checkBucketSize(bucketSize);
        CudaNative.dequantise8(context(), codes, scales, n, bucketSize, dst);
    }

    @Override
    public int thresholdEncode(final long residual, final int n, final float tau, final long encoded, final int capacity)
    {
        checkCount("n", n);
        checkCount("capacity", capacity);
        checkTau(tau);
        return CudaNative.thresholdEncode(context(), residual, n, tau, encoded, capacity);
    }

    @Override
    public int thresholdDecode(final long encoded, final int count, final float tau, final long out, final int n)
    {
        checkCount("count", count);
        checkCount("n", n);
        return CudaNative.thresholdDecode(context(), encoded, count, tau, out, n);
    }

    @Override
    public void topK(final long residual, final int n, final int k, final long indices, final long values)
    {
        checkCount("n", n);
        checkK(k, n);
        CudaNative.topK(context(), residual, n, k, indices, values);
    }

    @Override
    public int topKDecode(final long indices, final long values, final int k, final long out, final int n)
    {
        checkCount("k", k);
        checkCount("n", n);
        return CudaNative.topKDecode(context(), indices, values, k, out, n);
    }

    @Override
    public long allocate(final long bytes)
    {
        return CudaNative.malloc(context(), Math.max(bytes, 1));
    }

    @Override
    public void free(final long address)
    {
        CudaNative.free(context(), address);
    }

    @Override
    public void copyToDevice(final ByteBuffer src, final long dst, final long bytes)
    {
        BufferChecks.checkBuffer("src", src, bytes, 1);
        CudaNative.copyToDevice(context(), dst, src, bytes);
    }

    @Override
    public void copyToHost(final long src, final ByteBuffer dst, final long bytes)
    {
        BufferChecks.checkBuffer("dst", dst, bytes, 1);
        CudaNative.copyToHost(context(), dst, src, bytes);
    }

    @Override
    public void close()
    {
        if (context != 0)
        {
            CudaNative.destroy(context);
            context = 0;
        }
    }
}
