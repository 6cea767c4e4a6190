/*
 * JNI bridge for io.tributary.kernels.CudaNative: thin wrappers over tk.h. Every failure becomes a Java
 * IllegalStateException naming the call and the CUDA error; nothing here aborts the JVM. Each call
 * synchronises its stream before returning, so Java sees finished results and errors where they happen.
 */
#include <jni.h>
#include <stdio.h>
#include <stdint.h>
#include <cuda_runtime.h>
#include "tk.h"
#ifdef TK_JNI_HEADER
#include TK_JNI_HEADER /* javac -h output: checks every definition below against CudaNative.java */
#endif

namespace
{

tk_context* ctx(jlong handle)
{
    return reinterpret_cast<tk_context*>(handle);
}

template <typename T>
T* ptr(jlong address)
{
    return reinterpret_cast<T*>(static_cast<uintptr_t>(address));
}

void throw_state(JNIEnv* env, const char* call, int error)
{
    char message[256];
    snprintf(message, sizeof(message), "CUDA error %d in %s: %s", error, call, tk_error_string(error));
    jclass type = env->FindClass("java/lang/IllegalStateException");
    if (type != nullptr)
    {
        env->ThrowNew(type, message);
    }
}

/* Runs an asynchronous call, then synchronises; throws on either error. */
void finish(JNIEnv* env, tk_context* c, const char* call, int error)
{
    if (error == 0)
    {
        error = tk_synchronize(c);
    }
    if (error != 0)
    {
        throw_state(env, call, error);
    }
}

}

#define TK_JNI(name) JNICALL Java_io_tributary_kernels_CudaNative_##name

extern "C"
{

JNIEXPORT jint TK_JNI(deviceCount)(JNIEnv*, jclass)
{
    int count = 0;
    const int error = tk_device_count(&count);
    return error != 0 ? -error : count;
}

JNIEXPORT jstring TK_JNI(errorString)(JNIEnv* env, jclass, jint error)
{
    return env->NewStringUTF(tk_error_string(error));
}

JNIEXPORT jlong TK_JNI(create)(JNIEnv* env, jclass, jint device)
{
    tk_context* c = nullptr;
    const int error = tk_create(device, &c);
    if (error != 0)
    {
        throw_state(env, "tk_create", error);
        return 0;
    }
    return reinterpret_cast<jlong>(c);
}

JNIEXPORT void TK_JNI(destroy)(JNIEnv*, jclass, jlong handle)
{
    tk_destroy(ctx(handle));
}

JNIEXPORT jlong TK_JNI(malloc)(JNIEnv* env, jclass, jlong handle, jlong bytes)
{
    void* p = nullptr;
    const int error = tk_malloc(ctx(handle), (size_t)bytes, &p);
    if (error != 0)
    {
        throw_state(env, "tk_malloc", error);
        return 0;
    }
    return static_cast<jlong>(reinterpret_cast<uintptr_t>(p));
}

JNIEXPORT void TK_JNI(free)(JNIEnv* env, jclass, jlong handle, jlong address)
{
    const int error = tk_free(ctx(handle), ptr<void>(address));
    if (error != 0)
    {
        throw_state(env, "tk_free", error);
    }
}

JNIEXPORT jlong TK_JNI(address)(JNIEnv* env, jclass, jobject buffer)
{
    return static_cast<jlong>(reinterpret_cast<uintptr_t>(env->GetDirectBufferAddress(buffer)));
}

JNIEXPORT void TK_JNI(copyToDevice)(JNIEnv* env, jclass, jlong handle, jlong dst, jobject src, jlong bytes)
{
    finish(env, ctx(handle), "tk_copy to device", tk_copy(ctx(handle), ptr<void>(dst), env->GetDirectBufferAddress(src), (size_t)bytes));
}

JNIEXPORT void TK_JNI(copyToHost)(JNIEnv* env, jclass, jlong handle, jobject dst, jlong src, jlong bytes)
{
    finish(env, ctx(handle), "tk_copy to host", tk_copy(ctx(handle), env->GetDirectBufferAddress(dst), ptr<const void>(src), (size_t)bytes));
}

/*
 * Reads the input addresses in chunks into a stack array (no heap allocation per call). Chunks after the
 * first carry out as their first input, which tk_sum allows (in place), so the additions stay left to right.
 */
JNIEXPORT void TK_JNI(sum)(JNIEnv* env, jclass, jlong handle, jlongArray inputs, jint count, jlong out, jint n)
{
    const int CHUNK = 16;
    jlong addresses[CHUNK];
    const float* pointers[CHUNK];
    float* const target = ptr<float>(out);
    int error = 0;
    for (jint done = 0; done < count && error == 0;)
    {
        const int carried = done == 0 ? 0 : 1;
        const jint take = count - done < CHUNK - carried ? count - done : CHUNK - carried;
        env->GetLongArrayRegion(inputs, done, take, addresses);
        if (env->ExceptionCheck())
        {
            return;
        }
        pointers[0] = target;
        for (jint j = 0; j < take; j++)
        {
            pointers[carried + j] = ptr<const float>(addresses[j]);
        }
        error = tk_sum(ctx(handle), pointers, carried + take, target, n);
        done += take;
    }
    finish(env, ctx(handle), "tk_sum", error);
}

JNIEXPORT void TK_JNI(scale)(JNIEnv* env, jclass, jlong handle, jlong x, jint n, jfloat alpha)
{
    finish(env, ctx(handle), "tk_scale", tk_scale(ctx(handle), ptr<float>(x), n, alpha));
}

JNIEXPORT void TK_JNI(axpy)(JNIEnv* env, jclass, jlong handle, jint n, jfloat alpha, jlong x, jlong y)
{
    finish(env, ctx(handle), "tk_axpy", tk_axpy(ctx(handle), n, alpha, ptr<const float>(x), ptr<float>(y)));
}

JNIEXPORT void TK_JNI(packHalf)(JNIEnv* env, jclass, jlong handle, jlong src, jlong dst, jint n)
{
    finish(env, ctx(handle), "tk_pack_half", tk_pack_half(ctx(handle), ptr<const float>(src), ptr<uint16_t>(dst), n));
}

JNIEXPORT void TK_JNI(unpackHalf)(JNIEnv* env, jclass, jlong handle, jlong src, jlong dst, jint n)
{
    finish(env, ctx(handle), "tk_unpack_half", tk_unpack_half(ctx(handle), ptr<const uint16_t>(src), ptr<float>(dst), n));
}

JNIEXPORT void TK_JNI(packBfloat16)(JNIEnv* env, jclass, jlong handle, jlong src, jlong dst, jint n)
{
    finish(env, ctx(handle), "tk_pack_bf16", tk_pack_bf16(ctx(handle), ptr<const float>(src), ptr<uint16_t>(dst), n));
}

JNIEXPORT void TK_JNI(unpackBfloat16)(JNIEnv* env, jclass, jlong handle, jlong src, jlong dst, jint n)
{
    finish(env, ctx(handle), "tk_unpack_bf16", tk_unpack_bf16(ctx(handle), ptr<const uint16_t>(src), ptr<float>(dst), n));
}

JNIEXPORT void TK_JNI(quantise8)(JNIEnv* env, jclass, jlong handle, jlong src, jint n, jint bucket, jlong seed, jlong codes, jlong scales)
{
    finish(env, ctx(handle), "tk_quantise8",
        tk_quantise8(ctx(handle), ptr<const float>(src), n, bucket, (uint64_t)seed, ptr<int8_t>(codes), ptr<float>(scales)));
}

JNIEXPORT void TK_JNI(dequantise8)(JNIEnv* env, jclass, jlong handle, jlong codes, jlong scales, jint n, jint bucket, jlong dst)
{
    finish(env, ctx(handle), "tk_dequantise8",
        tk_dequantise8(ctx(handle), ptr<const int8_t>(codes), ptr<const float>(scales), n, bucket, ptr<float>(dst)));
}

JNIEXPORT jint TK_JNI(thresholdEncode)(JNIEnv* env, jclass, jlong handle, jlong residual, jint n, jfloat tau, jlong encoded, jint capacity)
{
    int written = 0;
    finish(env, ctx(handle), "tk_threshold_encode",
        tk_threshold_encode(ctx(handle), ptr<float>(residual), n, tau, ptr<int32_t>(encoded), capacity, &written));
    return written;
}

JNIEXPORT jint TK_JNI(thresholdDecode)(JNIEnv* env, jclass, jlong handle, jlong encoded, jint count, jfloat tau, jlong out, jint n)
{
    int applied = 0;
    finish(env, ctx(handle), "tk_threshold_decode",
        tk_threshold_decode(ctx(handle), ptr<const int32_t>(encoded), count, tau, ptr<float>(out), n, &applied));
    return applied;
}

JNIEXPORT void TK_JNI(topK)(JNIEnv* env, jclass, jlong handle, jlong residual, jint n, jint k, jlong indices, jlong values)
{
    finish(env, ctx(handle), "tk_topk", tk_topk(ctx(handle), ptr<float>(residual), n, k, ptr<int32_t>(indices), ptr<float>(values)));
}

JNIEXPORT jint TK_JNI(topKDecode)(JNIEnv* env, jclass, jlong handle, jlong indices, jlong values, jint k, jlong out, jint n)
{
    int applied = 0;
    finish(env, ctx(handle), "tk_topk_decode",
        tk_topk_decode(ctx(handle), ptr<const int32_t>(indices), ptr<const float>(values), k, ptr<float>(out), n, &applied));
    return applied;
}

}
