package io.tributary.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Argument checks shared by the host-buffer implementations; one clear message per misuse. */
final class BufferChecks
{
    private BufferChecks()
    {
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
