package io.tributary.kernels;

import java.nio.ByteBuffer;

import static io.tributary.kernels.BufferChecks.bucketCount;
import static io.tributary.kernels.BufferChecks.checkAxpy;
import static io.tributary.kernels.BufferChecks.checkConversion;
import static io.tributary.kernels.BufferChecks.checkDequantise8;
import static io.tributary.kernels.BufferChecks.checkQuantise8;
import static io.tributary.kernels.BufferChecks.checkScale;
import static io.tributary.kernels.BufferChecks.checkSum;
import static io.tributary.kernels.BufferChecks.checkThresholdDecode;
import static io.tributary.kernels.BufferChecks.checkThresholdEncode;
import static io.tributary.kernels.BufferChecks.checkTopK;
import static io.tributary.kernels.BufferChecks.checkTopKDecode;

/**
 * {@link GradientKernels} on a CUDA device: host buffers are copied into device staging memory (kept and
 * grown between calls), the CUDA kernel runs, results are copied back. For data already on the device use
 * {@link #device()}. Not thread-safe.
 */
public final class CudaGradientKernels implements GradientKernels
{
    private static final int PACK_HALF = 0;
    private static final int UNPACK_HALF = 1;
    private static final int PACK_BFLOAT16 = 2;
    private static final int UNPACK_BFLOAT16 = 3;

    private final CudaDeviceKernels device;
    private long[] slotAddress = new long[8];
    private long[] slotBytes = new long[8];
    private long[] inputAddresses = new long[8];

    private CudaGradientKernels(final CudaDeviceKernels device)
    {
        this.device = device;
    }

    /**
     * @throws NoCudaDeviceException where the machine has no CUDA driver or device.
     * @throws IllegalStateException where the library cannot be found or loaded.
     */
    public static CudaGradientKernels open(final int device)
    {
        return new CudaGradientKernels(CudaDeviceKernels.open(device));
    }

    public DeviceGradientKernels device()
    {
        return device;
    }

    @Override
    public void sum(final ByteBuffer[] inputs, final int inputCount, final ByteBuffer out, final int n)
    {
        checkSum(inputs, inputCount, out, n);
        if (inputAddresses.length < inputCount)
        {
            inputAddresses = new long[inputCount];
        }
        final long bytes = 4L * n;
        for (int j = 0; j < inputCount; j++)
        {
            inputAddresses[j] = upload(j + 1, inputs[j], bytes);
        }
        final long o = slot(0, bytes);
        device.sum(inputAddresses, inputCount, o, n);
        device.copyToHost(o, out, bytes);
    }

    @Override
    public void scale(final ByteBuffer x, final int n, final float alpha)
    {
        checkScale(x, n);
        final long d = upload(0, x, 4L * n);
        device.scale(d, n, alpha);
        device.copyToHost(d, x, 4L * n);
    }

    @Override
    public void axpy(final int n, final float alpha, final ByteBuffer x, final ByteBuffer y)
    {
        checkAxpy(n, x, y);
        final long dy = upload(1, y, 4L * n);
        device.axpy(n, alpha, upload(0, x, 4L * n), dy);
        device.copyToHost(dy, y, 4L * n);
    }

    @Override
    public void packHalf(final ByteBuffer src, final ByteBuffer dst, final int n)
    {
        convert(src, Float.BYTES, dst, Short.BYTES, n, PACK_HALF);
    }

    @Override
    public void unpackHalf(final ByteBuffer src, final ByteBuffer dst, final int n)
    {
        convert(src, Short.BYTES, dst, Float.BYTES, n, UNPACK_HALF);
    }

    @Override
    public void packBfloat16(final ByteBuffer src, final ByteBuffer dst, final int n)
    {
        convert(src, Float.BYTES, dst, Short.BYTES, n, PACK_BFLOAT16);
    }

    @Override
    public void unpackBfloat16(final ByteBuffer src, final ByteBuffer dst, final int n)
    {
        convert(src, Short.BYTES, dst, Float.BYTES, n, UNPACK_BFLOAT16);
    }

    /** The four conversions stage and copy alike; {@code kind} picks the device call. */
    private void convert(
        final ByteBuffer src, final int srcBytes, final ByteBuffer dst, final int dstBytes, final int n, final int kind)
    {
        checkConversion(src, srcBytes, dst, dstBytes, n);
        final long s = upload(0, src, (long)srcBytes * n);
        final long d = slot(1, (long)dstBytes * n);
        switch (kind)
        {
            case PACK_HALF: device.packHalf(s, d, n); break;
            case UNPACK_HALF: device.unpackHalf(s, d, n); break;
            case PACK_BFLOAT16: device.packBfloat16(s, d, n); break;
            default: device.unpackBfloat16(s, d, n); break;
        }
        device.copyToHost(d, dst, (long)dstBytes * n);
    }

    @Override
    public void quantise8(
        final ByteBuffer src, final int n, final int bucketSize, final long seed, final ByteBuffer codes, final ByteBuffer scales)
    {
        checkQuantise8(src, n, bucketSize, codes, scales);
        final int buckets = bucketCount(n, bucketSize);
        final long c = slot(1, n);
        final long s = slot(2, 4L * buckets);
        device.quantise8(upload(0, src, 4L * n), n, bucketSize, seed, c, s);
        device.copyToHost(c, codes, n);
        device.copyToHost(s, scales, 4L * buckets);
    }

    @Override
    public void dequantise8(
        final ByteBuffer codes, final ByteBuffer scales, final int n, final int bucketSize, final ByteBuffer dst)
    {
        checkDequantise8(codes, scales, n, bucketSize, dst);
        final int buckets = bucketCount(n, bucketSize);
        final long d = slot(2, 4L * n);
        device.dequantise8(upload(0, codes, n), upload(1, scales, 4L * buckets), n, bucketSize, d);
        device.copyToHost(d, dst, 4L * n);
    }

    @Override
    public int thresholdEncode(final ByteBuffer residual, final int n, final float tau, final ByteBuffer encoded, final int capacity)
    {
        checkThresholdEncode(residual, n, tau, encoded, capacity);
        final long r = upload(0, residual, 4L * n);
        final long e = slot(1, 4L * capacity);
        final int written = device.thresholdEncode(r, n, tau, e, capacity);
        device.copyToHost(r, residual, 4L * n);
        device.copyToHost(e, encoded, 4L * written);
        return written;
    }

    @Override
    public int thresholdDecode(final ByteBuffer encoded, final int count, final float tau, final ByteBuffer out, final int n)
    {
        checkThresholdDecode(encoded, count, out, n);
        final long o = upload(1, out, 4L * n);
        final int applied = device.thresholdDecode(upload(0, encoded, 4L * count), count, tau, o, n);
        device.copyToHost(o, out, 4L * n);
        return applied;
    }

    @Override
    public void topK(final ByteBuffer residual, final int n, final int k, final ByteBuffer indices, final ByteBuffer values)
    {
        checkTopK(residual, n, k, indices, values);
        final long r = upload(0, residual, 4L * n);
        final long i = slot(1, 4L * k);
        final long v = slot(2, 4L * k);
        device.topK(r, n, k, i, v);
        device.copyToHost(r, residual, 4L * n);
        device.copyToHost(i, indices, 4L * k);
        device.copyToHost(v, values, 4L * k);
    }

    @Override
    public int topKDecode(final ByteBuffer indices, final ByteBuffer values, final int k, final ByteBuffer out, final int n)
    {
        checkTopKDecode(indices, values, k, out, n);
        final long o = upload(2, out, 4L * n);
        final int applied = device.topKDecode(upload(0, indices, 4L * k), upload(1, values, 4L * k), k, o, n);
        device.copyToHost(o, out, 4L * n);
        return applied;
    }

    private long upload(final int index, final ByteBuffer buffer, final long bytes)
    {
        final long address = slot(index, bytes);
        device.copyToDevice(buffer, address, bytes);
        return address;
    }

    /** Device staging memory number {@code index}, at least {@code bytes} long. */
    private long slot(final int index, final long bytes)
    {
        if (index >= slotAddress.length)
        {
            slotAddress = java.util.Arrays.copyOf(slotAddress, index * 2);
            slotBytes = java.util.Arrays.copyOf(slotBytes, index * 2);
        }
        if (slotBytes[index] < bytes || slotAddress[index] == 0)
        {
            if (slotAddress[index] != 0)
            {
                device.free(slotAddress[index]);
                slotAddress[index] = 0;
            }
            final long size = Math.max(256, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
            slotAddress[index] = device.allocate(size);
            slotBytes[index] = size;
        }
        return slotAddress[index];
    }

    @Override
    public void close()
    {
        for (int i = 0; i < slotAddress.length; i++)
        {
            if (slotAddress[i] != 0)
            {
                device.free(slotAddress[i]);
                slotAddress[i] = 0;
            }
        }
        device.close();
    }
}
