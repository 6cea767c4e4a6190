/* 8-bit stochastic quantisation (QSGD-style, one scale per bucket) and its inverse. */
#include "tk_internal.cuh"
#include "tk_device.cuh"

namespace
{

using tk::grid_stride;

/* quantise8 with fewer buckets than this cannot fill a GPU with one block per bucket: it splits them. */
const long long SPLIT_BELOW_BUCKETS = 1024;
const int SLICE = 4096;

struct Dequantise
{
    const int8_t* codes;
    const float* scales;
    int bucket_size;
    float* dst;

    template <int U>
    __device__ void apply(size_t i, size_t stride) const
    {
        int8_t q[U];
        float s[U];
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            q[u] = codes[i + u * stride];
            s[u] = scales[(i + u * stride) / bucket_size];
        }
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            dst[i + u * stride] = tk::dequantise(q[u], s[u]);
        }
    }
};

/* The max of every thread's m across the block (NaN never wins: a > m is false for it); all threads get it. */
__device__ float block_max(float m)
{
    __shared__ float partial[tk::BLOCK];
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
    const float result = partial[0];
    __syncthreads();
    return result;
}

/* Many buckets: one block per bucket finds the bucket's max |g|, then quantises its elements. */
__global__ void quantise_kernel(const float* src, int n, int bucket_size, uint64_t seed, int8_t* codes, float* scales)
{
    const long long start = (long long)blockIdx.x * bucket_size;
    const long long end = start + bucket_size < n ? start + bucket_size : n;
    float m = 0.0f;
    for (long long i = start + threadIdx.x; i < end; i += blockDim.x)
    {
        const float a = fabsf(src[i]);
        m = a > m ? a : m;
    }
    const float scale = block_max(m);
    if (threadIdx.x == 0)
    {
        scales[blockIdx.x] = scale;
    }
    for (long long i = start + threadIdx.x; i < end; i += blockDim.x)
    {
        codes[i] = tk::quantise(src[i], scale, seed, (uint64_t)i);
    }
}

/*
 * Few buckets (one bucket of n at the extreme): blocks take slices of SLICE elements of one bucket in turn and
 * merge their maxima into the zeroed scales with atomicMax on the bits, which order non-negative floats as
 * unsigned integers do; NaN never enters. The max does not depend on the order, so the scale is the CPU's.
 */
__global__ void bucket_max_kernel(const float* src, int n, int bucket_size, long long slices_per_bucket, long long slices,
    unsigned* scale_bits)
{
    for (long long s = blockIdx.x; s < slices; s += gridDim.x)
    {
        const long long bucket = s / slices_per_bucket;
        const long long bucket_end = bucket * bucket_size + bucket_size < n ? bucket * bucket_size + bucket_size : n;
        const long long start = bucket * bucket_size + (s % slices_per_bucket) * SLICE;
        const long long end = start + SLICE < bucket_end ? start + SLICE : bucket_end;
        float m = 0.0f;
        for (long long i = start + threadIdx.x; i < end; i += blockDim.x)
        {
            const float a = fabsf(src[i]);
            m = a > m ? a : m;
        }
        const float slice_max = block_max(m);
        if (threadIdx.x == 0 && slice_max > 0.0f)
        {
            atomicMax(scale_bits + bucket, __float_as_uint(slice_max));
        }
    }
}

struct Quantise
{
    const float* src;
    const float* scales;
    int bucket_size;
    uint64_t seed;
    int8_t* codes;

    template <int U>
    __device__ void apply(size_t i, size_t stride) const
    {
        float g[U];
        float s[U];
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            g[u] = src[i + u * stride];
            s[u] = scales[(i + u * stride) / bucket_size];
        }
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            codes[i + u * stride] = tk::quantise(g[u], s[u], seed, (uint64_t)(i + u * stride));
        }
    }
};

__global__ void quantise_elements_kernel(const float* src, int n, int bucket_size, uint64_t seed, int8_t* codes, const float* scales)
{
    grid_stride(n, Quantise{src, scales, bucket_size, seed, codes});
}

__global__ void dequantise_kernel(const int8_t* codes, const float* scales, int n, int bucket_size, float* dst)
{
    grid_stride(n, Dequantise{codes, scales, bucket_size, dst});
}

}

extern "C" int tk_quantise8(tk_context* c, const float* src, int n, int bucket_size, uint64_t seed, int8_t* codes, float* scales)
{
    TK_ON_DEVICE(c);
    if (n <= 0)
    {
        return 0;
    }
    const long long buckets = ((long long)n + bucket_size - 1) / bucket_size;
    if (buckets >= SPLIT_BELOW_BUCKETS)
    {
        quantise_kernel<<<(unsigned)buckets, tk::BLOCK, 0, c->stream>>>(src, n, bucket_size, seed, codes, scales);
        return tk::launched();
    }
    const long long slices_per_bucket = ((long long)bucket_size + SLICE - 1) / SLICE;
    const long long slices = buckets * slices_per_bucket;
    TK_CHECK(cudaMemsetAsync(scales, 0, (size_t)buckets * sizeof(float), c->stream));
    bucket_max_kernel<<<tk::grid_for(c, slices * tk::BLOCK), tk::BLOCK, 0, c->stream>>>(src, n, bucket_size, slices_per_bucket,
        slices, (unsigned*)scales);
    TK_CHECK(tk::launched());
    quantise_elements_kernel<<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, n, bucket_size, seed, codes, scales);
    return tk::launched();
}

extern "C" int tk_dequantise8(tk_context* c, const int8_t* codes, const float* scales, int n, int bucket_size, float* dst)
{
    TK_ON_DEVICE(c);
    if (n <= 0)
    {
        return 0;
    }
    dequantise_kernel<<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(codes, scales, n, bucket_size, dst);
    return tk::launched();
}
