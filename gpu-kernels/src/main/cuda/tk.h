/*
 * Tributary gradient kernels, C API over device addresses. Bit-exact twins of the Java
 * io.tributary.kernels.CpuGradientKernels; the definitions live in GradientKernels.java.
 *
 * Every function returns a cudaError_t as int (0 = success). Element-wise functions are asynchronous on the
 * context's stream; those that return a count (tk_threshold_*, tk_topk*) synchronise it. A context is not
 * thread-safe.
 */
#ifndef TRIBUTARY_TK_H
#define TRIBUTARY_TK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tk_context tk_context;

/* Number of CUDA devices; returns the CUDA error of cudaGetDeviceCount (no driver, no device...). */
int tk_device_count(int* count);
const char* tk_error_string(int error);

/*
 * Every function that takes a context runs on the context's device, whichever device the calling thread has
 * current, and leaves the thread's current device as it found it (tk_create too).
 */
int tk_create(int device, tk_context** context);
void tk_destroy(tk_context* context);
int tk_synchronize(tk_context* context);
/* The context's cudaStream_t, for callers that order their own work (events, copies) with the kernels. */
void* tk_stream(tk_context* context);
/* Copies between any host and device addresses (unified addressing) on the context's stream. */
int tk_copy(tk_context* context, void* dst, const void* src, size_t bytes);
/* cudaMalloc / cudaFree on the context's device. */
int tk_malloc(tk_context* context, size_t bytes, void** address);
int tk_free(tk_context* context, void* address);

int tk_sum(tk_context* c, const float* const* inputs, int input_count, float* out, int n);
int tk_scale(tk_context* c, float* x, int n, float alpha);
int tk_axpy(tk_context* c, int n, float alpha, const float* x, float* y);

int tk_pack_half(tk_context* c, const float* src, uint16_t* dst, int n);
int tk_unpack_half(tk_context* c, const uint16_t* src, float* dst, int n);
int tk_pack_bf16(tk_context* c, const float* src, uint16_t* dst, int n);
int tk_unpack_bf16(tk_context* c, const uint16_t* src, float* dst, int n);

int tk_quantise8(tk_context* c, const float* src, int n, int bucket_size, uint64_t seed, int8_t* codes, float* scales);
int tk_dequantise8(tk_context* c, const int8_t* codes, const float* scales, int n, int bucket_size, float* dst);

int tk_threshold_encode(tk_context* c, float* residual, int n, float tau, int32_t* encoded, int capacity, int* written);
int tk_threshold_decode(tk_context* c, const int32_t* encoded, int count, float tau, float* out, int n, int* applied);
int tk_topk(tk_context* c, float* residual, int n, int k, int32_t* indices, float* values);
int tk_topk_decode(tk_context* c, const int32_t* indices, const float* values, int k, float* out, int n, int* applied);

#ifdef __cplusplus
}
#endif

#endif
