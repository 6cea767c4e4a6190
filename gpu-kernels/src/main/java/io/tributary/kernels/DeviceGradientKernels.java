package io.tributary.kernels;

/**
 * The kernels of {@link GradientKernels} over device addresses (raw CUDA pointers, for example from the ND4J
 * CUDA allocator), with the same definitions and element layouts. Every call has finished on the device when
 * it returns. The kernels run on their own non-blocking stream, which does not wait for other streams: the
 * caller makes sure its inputs are ready (for ND4J, synchronise its stream first). Addresses are not
 * checked: a wrong one is undefined behaviour on the device, as in CUDA.
 */
public interface DeviceGradientKernels extends AutoCloseable
{
    /** {@code out} may be {@code inputs[0]}, no other input. */
    void sum(long[] inputs, int inputCount, long out, int n);

    void scale(long x, int n, float alpha);

    void axpy(int n, float alpha, long x, long y);

    void packHalf(long src, long dst, int n);

    void unpackHalf(long src, long dst, int n);

    void packBfloat16(long src, long dst, int n);

    void unpackBfloat16(long src, long dst, int n);

    void quantise8(long src, int n, int bucketSize, long seed, long codes, long scales);

    void dequantise8(long codes, long scales, int n, int bucketSize, long dst);

    int thresholdEncode(long residual, int n, float tau, long encoded, int capacity);

    int thresholdDecode(long encoded, int count, float tau, long out, int n);

    void topK(long residual, int n, int k, long indices, long values);

    int topKDecode(long indices, long values, int k, long out, int n);

    /** Device memory, on this instance's device, for callers without an allocator of their own (tests, benchmarks). */
    long allocate(long bytes);

    void free(long address);

    void copyToDevice(java.nio.ByteBuffer src, long dst, long bytes);

    void copyToHost(long src, java.nio.ByteBuffer dst, long bytes);

    @Override
    void close();
}
