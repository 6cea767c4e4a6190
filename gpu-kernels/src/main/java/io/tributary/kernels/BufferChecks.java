package io.tributary.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Argument checks shared by the host-buffer implementations; one clear message per misuse. Each
 * {@link GradientKernels} method has one check here, so every implementation rejects the same arguments with
 * the same message, in the same order.
 */
final class BufferChecks
{
    private BufferChecks()
    {
    }

    static void checkSum(final ByteBuffer[] inputs, final int inputCount, final ByteBuffer out, final int n)
    {
        checkCount("n", n);
        checkInputs(inputs, inputCount, n);
        checkBuffer("out", out, n, Float.BYTES);
    }

    static void checkScale(final ByteBuffer x, final int n)
    {
        checkCount("n", n);
        checkBuffer("x", x, n, Float.BYTES);
    }

    static void checkAxpy(final int n, final ByteBuffer x, final ByteBuffer y)
    {
        checkCount("n", n);
        checkBuffer("x", x, n, Float.BYTES);
        checkBuffer("y", y, n, Float.BYTES);
    }

    /** The half and bfloat16 pack / unpack calls: {@code n} elements of {@code srcBytes} each to {@code dstBytes} each. */
    static void checkConversion(
        final ByteBuffer src, final int srcBytes, final ByteBuffer dst, final int dstBytes, final int n)
    {
        checkCount("n", n);
        checkBuffer("src", src, n, srcBytes);
        checkBuffer("dst", dst, n, dstBytes);
    }

    static void checkQuantise8(
        final ByteBuffer src, final int n, final int bucketSize, final ByteBuffer codes, final ByteBuffer scales)
    {
        checkCount("n", n);
        checkBucketSize(bucketSize);
        checkBuffer("src", src, n, Float.BYTES);
        checkBuffer("codes", codes, n, Byte.BYTES);
        checkBuffer("scales", scales, bucketCount(n, bucketSize), Float.BYTES);
    }

    static void checkDequantise8(
        final ByteBuffer codes, final ByteBuffer scales, final int n, final int bucketSize, final ByteBuffer dst)
    {
        checkCount("n", n);
        checkBucketSize(bucketSize);
        checkBuffer("codes", codes, n, Byte.BYTES);
        checkBuffer("scales", scales, bucketCount(n, bucketSize), Float.BYTES);
        checkBuffer("dst", dst, n, Float.BYTES);
    }

    static void checkThresholdEncode(
        final ByteBuffer residual, final int n, final float tau, final ByteBuffer encoded, final int capacity)
    {
        checkCount("n", n);
        checkCount("capacity", capacity);
        checkTau(tau);
        checkBuffer("residual", residual, n, Float.BYTES);
        checkBuffer("encoded", encoded, capacity, Integer.BYTES);
    }

    static void checkThresholdDecode(final ByteBuffer encoded, final int count, final ByteBuffer out, final int n)
    {
        checkCount("count", count);
        checkCount("n", n);
        checkBuffer("encoded", encoded, count, Integer.BYTES);
        checkBuffer("out", out, n, Float.BYTES);
    }

    static void checkTopK(final ByteBuffer residual, final int n, final int k, final ByteBuffer indices, final ByteBuffer values)
    {
        checkCount("n", n);
        checkK(k, n);
        checkBuffer("residual", residual, n, Float.BYTES);
        checkBuffer("indices", indices, k, Integer.BYTES);
        checkBuffer("values", values, k, Float.BYTES);
    }

    static void checkTopKDecode(final ByteBuffer indices, final ByteBuffer values, final int k, final ByteBuffer out, final int n)
    {
        checkCount("k", k);
        checkCount("n", n);
        checkBuffer("indices", indices, k, Integer.BYTES);
        checkBuffer("values", values, k, Float.BYTES);
        checkBuffer("out", out, n, Float.BYTES);
    }

    static void checkBuffer(final String name, final ByteBuffer buffer, final long elements, final int elementBytes)
    {
        checkBuffer(name, -1, buffer, elements, elementBytes);
    }

    /**
     * As {@link #checkBuffer(String, ByteBuffer, long, int)} for element {@code index} of an array named
     * {@code name} ({@code index < 0}: no array): the name is only put together when a check fails, so
     * a passing check allocates nothing.
     */
    static void checkBuffer(final String name, final int index, final ByteBuffer buffer, final long elements, final int elementBytes)
    {
        if (buffer == null)
        {
            throw new NullPointerException(label(name, index) + " is null");
        }
        if (!buffer.isDirect())
        {
            throw new IllegalArgumentException(label(name, index) + " must be a direct buffer");
        }
        if (buffer.order() != ByteOrder.nativeOrder())
        {
            throw new IllegalArgumentException(label(name, index) + " must be in native byte order (" + ByteOrder.nativeOrder() + ")");
        }
        if (elements * elementBytes > buffer.capacity())
        {
            throw new IllegalArgumentException(label(name, index) + " holds " + buffer.capacity() + " bytes, needs " +
                elements * elementBytes + " (" + elements + " x " + elementBytes + ")");
        }
    }

    private static String label(final String name, final int index)
    {
        return index < 0 ? name : name + "[" + index + "]";
    }

    static void checkCount(final String name, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    static void checkInputs(final ByteBuffer[] inputs, final int inputCount, final int n)
    {
        if (inputCount < 1 || inputs == null || inputCount > inputs.length)
        {
            throw new IllegalArgumentException("inputCount must be in [1, inputs.length], was " + inputCount);
        }
        for (int j = 0; j < inputCount; j++)
        {
            checkBuffer("inputs", j, inputs[j], n, Float.BYTES);
        }
    }

    static void checkBucketSize(final int bucketSize)
    {
        if (bucketSize < 1)
        {
            throw new IllegalArgumentException("bucketSize must be >= 1, was " + bucketSize);
        }
    }

    static int bucketCount(final int n, final int bucketSize)
    {
        return (int)(((long)n + bucketSize - 1) / bucketSize);
    }

    static void checkTau(final float tau)
    {
        if (!(tau > 0.0f) || Float.isInfinite(tau))
        {
            throw new IllegalArgumentException("tau must be finite and > 0, was " + tau);
        }
    }

    static void checkK(final int k, final int n)
    {
        if (k < 0 || k > n)
        {
            throw new IllegalArgumentException("k must be in [0, n=" + n + "], was " + k);
        }
    }
}
