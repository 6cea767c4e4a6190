/* Context management and the element-wise kernels: sum, scale, axpy, half/bfloat16, 8-bit quantisation. */
#include "tk_internal.cuh"
#include "tk_device.cuh"

namespace
{

const int SUM_FANIN = 16;

struct InputPointers
{
    const float* p[SUM_FANIN];
};

/* out = ((in0 + in1) + ...) when first, else ((out + in0) + ...): the left-to-right order of the CPU. */
__global__ void sum_kernel(InputPointers in, int count, bool first, float* out, int n)
{
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += gridDim.x * blockDim.x)
    {
        float acc = first ? in.p[0][i] : out[i];
        for (int j = first ? 1 : 0; j < count; j++)
        {
            acc = __fadd_rn(acc, in.p[j][i]);
        }
        out[i] = acc;
    }
}

__global__ void scale_kernel(float* x, int n, float alpha)
{
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += gridDim.x * blockDim.x)
    {
        x[i] = __fmul_rn(alpha, x[i]);
    }
}

__global__ void axpy_kernel(int n, float alpha, const float* x, float* y)
{
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += gridDim.x * blockDim.x)
    {
        y[i] = __fadd_rn(__fmul_rn(alpha, x[i]), y[i]);
    }
}

template <bool BF16>
__global__ void pack_kernel(const float* src, uint16_t* dst, int n)
{
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += gridDim.x * blockDim.x)
    {
        dst[i] = BF16 ? tk::to_bf16(src[i]) : tk::to_half(src[i]);
    }
}

template <bool BF16>
__global__ void unpack_kernel(const uint16_t* src, float* dst, int n)
{
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += gridDim.x * blockDim.x)
    {
        dst[i] = BF16 ? tk::from_bf16(src[i]) : tk::from_half(src[i]);
    }
}

/* One block per bucket: the block finds the bucket's max |g|, then quantises its elements. */
__global__ void quantise_kernel(const float* src, int n, int bucket_size, uint64_t seed, int8_t* codes, float* scales)
{
    __shared__ float partial[tk::BLOCK];
    const long long start = (long long)blockIdx.x * bucket_size;
    const long long end = start + bucket_size < n ? start + bucket_size : n;
    float m = 0.0f;
    for (long long i = start + threadIdx.x; i < end; i += blockDim.x)
    {
        const float a = fabsf(src[i]);
        m = a > m ? a : m;
    }
    partial[threadIdx.x] = m;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride /= 2)
    {
        if (threadIdx.x < stride)
        {
            const float other = partial[threadIdx.x + stride];
            partial[threadIdx.x] = other > partial[threadIdx.x] ? other : partial[threadIdx.x];
        }
        __syncthreads();
    }
    const float scale = partial[0];
    if (threadIdx.x == 0)
    {
        scales[blockIdx.x] = scale;
    }
    for (long long i = start + threadIdx.x; i < end; i += blockDim.x)
    {
        codes[i] = tk::quantise(src[i], scale, seed, (uint64_t)i);
    }
}

__global__ void dequantise_kernel(const int8_t* codes, const float* scales, int n, int bucket_size, float* dst)
{
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += gridDim.x * blockDim.x)
    {
        dst[i] = tk::dequantise(codes[i], scales[i / bucket_size]);
    }
}

}

extern "C" int tk_device_count(int* count)
{
    *count = 0;
    const cudaError_t err = cudaGetDeviceCount(count);
    if (err != cudaSuccess)
    {
        *count = 0;
    }
    return (int)err;
}

extern "C" const char* tk_error_string(int error)
{
    return cudaGetErrorString((cudaError_t)error);
}

extern "C" int tk_create(int device, tk_context** out)
{
    *out = nullptr;
    tk_context* c = new tk_context();
    c->device = device;
    int err = (int)cudaSetDevice(device);
    if (err == 0)
    {
        err = (int)cudaDeviceGetAttribute(&c->sm_count, cudaDevAttrMultiProcessorCount, device);
    }
    if (err == 0)
    {
        err = (int)cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking);
    }
    if (err == 0)
    {
        err = (int)cudaMallocHost((void**)&c->host_result, sizeof(unsigned long long));
    }
    if (err != 0)
    {
        tk_destroy(c);
        return err;
    }
    *out = c;
    return 0;
}

extern "C" void tk_destroy(tk_context* c)
{
    if (c == nullptr)
    {
        return;
    }
    if (c->stream != nullptr)
    {
        cudaStreamSynchronize(c->stream);
        cudaStreamDestroy(c->stream);
    }
    cudaFree(c->scratch);
    cudaFreeHost(c->host_result);
    delete c;
}

extern "C" int tk_synchronize(tk_context* c)
{
    return (int)cudaStreamSynchronize(c->stream);
}

extern "C" void* tk_stream(tk_context* c)
{
    return (void*)c->stream;
}

extern "C" int tk_copy(tk_context* c, void* dst, const void* src, size_t bytes)
{
    return (int)cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDefault, c->stream);
}

int tk::ensure_scratch(tk_context* c, size_t bytes)
{
    if (bytes <= c->scratch_bytes)
    {
        return 0;
    }
    TK_CHECK(cudaStreamSynchronize(c->stream));
    cudaFree(c->scratch);
    c->scratch = nullptr;
    c->scratch_bytes = 0;
    TK_CHECK(cudaMalloc(&c->scratch, bytes));
    c->scratch_bytes = bytes;
    return 0;
}

extern "C" int tk_sum(tk_context* c, const float* const* inputs, int input_count, float* out, int n)
{
    if (n <= 0)
    {
        return 0;
    }
    if (input_count == 1)
    {
        return inputs[0] == out ? 0 : (int)cudaMemcpyAsync(out, inputs[0], (size_t)n * sizeof(float), cudaMemcpyDeviceToDevice, c->stream);
    }
    for (int done = 0; done < input_count; done += SUM_FANIN)
    {
        InputPointers batch = {};
        const int count = input_count - done < SUM_FANIN ? input_count - done : SUM_FANIN;
        for (int j = 0; j < count; j++)
        {
            batch.p[j] = inputs[done + j];
        }
        sum_kernel<<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(batch, count, done == 0, out, n);
        TK_CHECK(tk::launched());
    }
    return 0;
}

extern "C" int tk_scale(tk_context* c, float* x, int n, float alpha)
{
    if (n <= 0)
    {
        return 0;
    }
    scale_kernel<<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(x, n, alpha);
    return tk::launched();
}

extern "C" int tk_axpy(tk_context* c, int n, float alpha, const float* x, float* y)
{
    if (n <= 0)
    {
        return 0;
    }
    axpy_kernel<<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(n, alpha, x, y);
    return tk::launched();
}

extern "C" int tk_pack_half(tk_context* c, const float* src, uint16_t* dst, int n)
{
    if (n <= 0)
    {
        return 0;
    }
    pack_kernel<false><<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, dst, n);
    return tk::launched();
}

extern "C" int tk_unpack_half(tk_context* c, const uint16_t* src, float* dst, int n)
{
    if (n <= 0)
    {
        return 0;
    }
    unpack_kernel<false><<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, dst, n);
    return tk::launched();
}

extern "C" int tk_pack_bf16(tk_context* c, const float* src, uint16_t* dst, int n)
{
    if (n <= 0)
    {
        return 0;
    }
    pack_kernel<true><<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, dst, n);
    return tk::launched();
}

extern "C" int tk_unpack_bf16(tk_context* c, const uint16_t* src, float* dst, int n)
{
    if (n <= 0)
    {
        return 0;
    }
    unpack_kernel<true><<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, dst, n);
    return tk::launched();
}

extern "C" int tk_quantise8(tk_context* c, const float* src, int n, int bucket_size, uint64_t seed, int8_t* codes, float* scales)
{
    if (n <= 0)
    {
        return 0;
    }
    const long long buckets = ((long long)n + bucket_size - 1) / bucket_size;
    quantise_kernel<<<(unsigned)buckets, tk::BLOCK, 0, c->stream>>>(src, n, bucket_size, seed, codes, scales);
    return tk::launched();
}

extern "C" int tk_dequantise8(tk_context* c, const int8_t* codes, const float* scales, int n, int bucket_size, float* dst)
{
    if (n <= 0)
    {
        return 0;
    }
    dequantise_kernel<<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(codes, scales, n, bucket_size, dst);
    return tk::launched();
}
