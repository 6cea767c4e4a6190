package io.tributary.kernels;

import java.nio.ByteBuffer;

/** The JNI entry points of libtributary_kernels.so (gpu-kernels/src/main/cuda/tk_jni.cpp). */
final class CudaNative
{
    private CudaNative()
    {
    }

    /** The number of devices, or minus the CUDA error that cudaGetDeviceCount returned. */
    static native int deviceCount();

    static native String errorString(int error);

    static native long create(int device);

    static native void destroy(long context);

    /** cudaMalloc on the context's device. */
    static native long malloc(long context, long bytes);

    static native void free(long context, long address);

    static native long address(ByteBuffer buffer);

    static native void copyToDevice(long context, long dst, ByteBuffer src, long bytes);

    static native void copyToHost(long context, ByteBuffer dst, long src, long bytes);

    static native void sum(long context, long[] inputs, int count, long out, int n);

    static native void scale(long context, long x, int n, float alpha);

    static native void axpy(long context, int n, float alpha, long x, long y);

    static native void packHalf(long context, long src, long dst, int n);

    static native void unpackHalf(long context, long src, long dst, int n);

    static native void packBfloat16(long context, long src, long dst, int n);

    static native void unpackBfloat16(long context, long src, long dst, int n);

    static native void quantise8(long context, long src, int n, int bucketSize, long seed, long codes, long scales);

    static native void dequantise8(long context, long codes, long scales, int n, int bucketSize, long dst);

    static native int thresholdEncode(long context, long residual, int n, float tau, long encoded, int capacity);

    static native int thresholdDecode(long context, long encoded, int count, float tau, long out, int n);

    static native void topK(long context, long residual, int n, int k, long indices, long values);

    static native int topKDecode(long context, long indices, long values, int k, long out, int n);
}
