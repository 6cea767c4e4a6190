package io.tributary.kernels;

import java.nio.ByteBuffer;

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
 * The reference implementation: plain indexed loops over the buffers, which C2 compiles to tight loops,
 * no allocation per call. Not thread-safe (top-k keeps a histogram).
 */
public final class CpuGradientKernels implements GradientKernels
{
    /**
     * Whether sum, scale, axpy and the half / bfloat16 conversions run on the Vector API: when the JVM has the
     * jdk.incubator.vector module ({@code --add-modules jdk.incubator.vector}) and
     * {@code -Dtributary.kernels.vector=false} does not turn it off. Both paths give the same bits.
     */
    public static final boolean VECTORISED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() &&
        !"false".equals(System.getProperty("tributary.kernels.vector"));

    private final TopKSelector selector = new TopKSelector();

    @Override
    public void sum(final ByteBuffer[] inputs, final int inputCount, final ByteBuffer out, final int n)
    {
        checkSum(inputs, inputCount, out, n);
        final int bytes = n << 2;
        final ByteBuffer first = inputs[0];
        if (inputCount == 1)
        {
            for (int b = 0; b < bytes; b += 4)
            {
                out.putFloat(b, first.getFloat(b));
            }
            return;
        }
        if (VECTORISED)
        {
            VectorKernels.add(first, inputs[1], out, n);
            for (int j = 2; j < inputCount; j++)
            {
                VectorKernels.add(out, inputs[j], out, n);
            }
            return;
        }
        final ByteBuffer second = inputs[1];
        for (int b = 0; b < bytes; b += 4)
        {
            out.putFloat(b, first.getFloat(b) + second.getFloat(b));
        }
        for (int j = 2; j < inputCount; j++)
        {
            final ByteBuffer next = inputs[j];
            for (int b = 0; b < bytes; b += 4)
            {
                out.putFloat(b, out.getFloat(b) + next.getFloat(b));
            }
        }
    }

    @Override
    public void scale(final ByteBuffer x, final int n, final float alpha)
    {
        checkScale(x, n);
        if (VECTORISED)
        {
            VectorKernels.scale(x, n, alpha);
            return;
        }
        final int bytes = n << 2;
        for (int b = 0; b < bytes; b += 4)
        {
            x.putFloat(b, alpha * x.getFloat(b));
        }
    }

    @Override
    public void axpy(final int n, final float alpha, final ByteBuffer x, final ByteBuffer y)
    {
        checkAxpy(n, x, y);
        if (VECTORISED)
        {
            VectorKernels.axpy(n, alpha, x, y);
            return;
        }
        final int bytes = n << 2;
        for (int b = 0; b < bytes; b += 4)
        {
            y.putFloat(b, alpha * x.getFloat(b) + y.getFloat(b));
        }
    }

    @Override
    public void packHalf(final ByteBuffer src, final ByteBuffer dst, final int n)
    {
        checkConversion(src, Float.BYTES, dst, Short.BYTES, n);
        if (VECTORISED)
        {
            VectorKernels.packHalf(src, dst, n);
            return;
        }
        for (int i = 0; i < n; i++)
        {
            dst.putShort(i << 1, HalfFloats.toHalf(src.getFloat(i << 2)));
        }
    }

    @Override
    public void unpackHalf(final ByteBuffer src, final ByteBuffer dst, final int n)
    {
        checkConversion(src, Short.BYTES, dst, Float.BYTES, n);
        if (VECTORISED)
        {
            VectorKernels.unpackHalf(src, dst, n);
            return;
        }
        for (int i = 0; i < n; i++)
        {
            dst.putFloat(i << 2, HalfFloats.fromHalf(src.getShort(i << 1)));
        }
    }

    @Override
    public void packBfloat16(final ByteBuffer src, final ByteBuffer dst, final int n)
    {
        checkConversion(src, Float.BYTES, dst, Short.BYTES, n);
        if (VECTORISED)
        {
            VectorKernels.packBfloat16(src, dst, n);
            return;
        }
        for (int i = 0; i < n; i++)
        {
            dst.putShort(i << 1, HalfFloats.toBfloat16(src.getFloat(i << 2)));
        }
    }

    @Override
    public void unpackBfloat16(final ByteBuffer src, final ByteBuffer dst, final int n)
    {
        checkConversion(src, Short.BYTES, dst, Float.BYTES, n);
        if (VECTORISED)
        {
            VectorKernels.unpackBfloat16(src, dst, n);
            return;
        }
        for (int i = 0; i < n; i++)
        {
            dst.putInt(i << 2, (src.getShort(i << 1) & 0xFFFF) << 16);
        }
    }

    @Override
    public void quantise8(
        final ByteBuffer src, final int n, final int bucketSize, final long seed, final ByteBuffer codes, final ByteBuffer scales)
    {
        checkQuantise8(src, n, bucketSize, codes, scales);
        for (int start = 0, bucket = 0; start < n; start += bucketSize, bucket++)
        {
            final int end = (int)Math.min(n, (long)start + bucketSize);
            float scale = 0.0f;
            for (int i = start; i < end; i++)
            {
                final float a = Math.abs(src.getFloat(i << 2));
                scale = a > scale ? a : scale;
            }
            scales.putFloat(bucket << 2, scale);
            for (int i = start; i < end; i++)
            {
                codes.put(i, StochasticQuantiser.quantise(src.getFloat(i << 2), scale, seed, i));
            }
        }
    }

    @Override
    public void dequantise8(
        final ByteBuffer codes, final ByteBuffer scales, final int n, final int bucketSize, final ByteBuffer dst)
    {
        checkDequantise8(codes, scales, n, bucketSize, dst);
        for (int start = 0, bucket = 0; start < n; start += bucketSize, bucket++)
        {
            final int end = (int)Math.min(n, (long)start + bucketSize);
            final float scale = scales.getFloat(bucket << 2);
            for (int i = start; i < end; i++)
            {
                dst.putFloat(i << 2, StochasticQuantiser.dequantise(codes.get(i), scale));
            }
        }
    }

    @Override
    public int thresholdEncode(
        final ByteBuffer residual, final int n, final float tau, final ByteBuffer encoded, final int capacity)
    {
        checkThresholdEncode(residual, n, tau, encoded, capacity);
        int written = 0;
        for (int i = 0; i < n && written < capacity; i++)
        {
            final float r = residual.getFloat(i << 2);
            if (r >= tau)
            {
                encoded.putInt(written++ << 2, i + 1);
                residual.putFloat(i << 2, r - tau);
            }
            else if (r <= -tau)
            {
                encoded.putInt(written++ << 2, -(i + 1));
                residual.putFloat(i << 2, r + tau);
            }
        }
        return written;
    }

    @Override
    public int thresholdDecode(final ByteBuffer encoded, final int count, final float tau, final ByteBuffer out, final int n)
    {
        checkThresholdDecode(encoded, count, out, n);
        int applied = 0;
        for (int j = 0; j < count; j++)
        {
            final int entry = encoded.getInt(j << 2);
            final long index = Math.abs((long)entry) - 1;
            if (entry != 0 && index < n)
            {
                final int b = (int)index << 2;
                out.putFloat(b, out.getFloat(b) + (entry > 0 ? tau : -tau));
                applied++;
            }
        }
        return applied;
    }

    @Override
    public void topK(final ByteBuffer residual, final int n, final int k, final ByteBuffer indices, final ByteBuffer values)
    {
        checkTopK(residual, n, k, indices, values);
        if (k == 0)
        {
            return;
        }
        selector.select(residual, n, k);
        final int threshold = selector.threshold();
        int ties = selector.tiesToTake();
        int taken = 0;
        for (int i = 0; i < n && taken < k; i++)
        {
            final int key = TopKSelector.key(residual, i);
            if (key > threshold || (key == threshold && ties-- > 0))
            {
                indices.putInt(taken << 2, i);
                values.putFloat(taken << 2, residual.getFloat(i << 2));
                residual.putFloat(i << 2, 0.0f);
                taken++;
            }
        }
    }

    @Override
    public int topKDecode(final ByteBuffer indices, final ByteBuffer values, final int k, final ByteBuffer out, final int n)
    {
        checkTopKDecode(indices, values, k, out, n);
        int applied = 0;
        for (int j = 0; j < k; j++)
        {
            final int index = indices.getInt(j << 2);
            if (index >= 0 && index < n)
            {
                out.putFloat(index << 2, out.getFloat(index << 2) + values.getFloat(j << 2));
                applied++;
            }
        }
        return applied;
    }

    @Override
    public void close()
    {
    }
}
