/* The element-wise kernels: sum, scale, axpy, half/bfloat16. */
#include "tk_internal.cuh"
#include "tk_device.cuh"

namespace
{

const int SUM_FANIN = 16;
using tk::grid_stride;

struct InputPointers
{
    const float* p[SUM_FANIN];
};

/* out = ((in0 + in1) + ...) when first, else ((out + in0) + ...): the left-to-right order of the CPU. */
struct Sum
{
    InputPointers in;
    int count;
    bool first;
    float* out;

    template <int U>
    __device__ void apply(size_t i, size_t stride) const
    {
        float acc[U];
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            acc[u] = first ? in.p[0][i + u * stride] : out[i + u * stride];
        }
        for (int j = first ? 1 : 0; j < count; j++)
        {
#pragma unroll
            for (int u = 0; u < U; u++)
            {
                acc[u] = __fadd_rn(acc[u], in.p[j][i + u * stride]);
            }
        }
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            out[i + u * stride] = acc[u];
        }
    }
};

struct Scale
{
    float* x;
    float alpha;

    template <int U>
    __device__ void apply(size_t i, size_t stride) const
    {
        float v[U];
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            v[u] = x[i + u * stride];
        }
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            x[i + u * stride] = __fmul_rn(alpha, v[u]);
        }
    }
};

struct Axpy
{
    float alpha;
    const float* x;
    float* y;

    template <int U>
    __device__ void apply(size_t i, size_t stride) const
    {
        float a[U];
        float b[U];
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            a[u] = x[i + u * stride];
            b[u] = y[i + u * stride];
        }
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            y[i + u * stride] = __fadd_rn(__fmul_rn(alpha, a[u]), b[u]);
        }
    }
};

template <bool BF16>
struct Pack
{
    const float* src;
    uint16_t* dst;

    template <int U>
    __device__ void apply(size_t i, size_t stride) const
    {
        float v[U];
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            v[u] = src[i + u * stride];
        }
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            dst[i + u * stride] = BF16 ? tk::to_bf16(v[u]) : tk::to_half(v[u]);
        }
    }
};

template <bool BF16>
struct Unpack
{
    const uint16_t* src;
    float* dst;

    template <int U>
    __device__ void apply(size_t i, size_t stride) const
    {
        uint16_t v[U];
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            v[u] = src[i + u * stride];
        }
#pragma unroll
        for (int u = 0; u < U; u++)
        {
            dst[i + u * stride] = BF16 ? tk::from_bf16(v[u]) : tk::from_half(v[u]);
        }
    }
};

__global__ void sum_kernel(InputPointers in, int count, bool first, float* out, int n)
{
    grid_stride(n, Sum{in, count, first, out});
}

__global__ void scale_kernel(float* x, int n, float alpha)
{
    grid_stride(n, Scale{x, alpha});
}

__global__ void axpy_kernel(int n, float alpha, const float* x, float* y)
{
    grid_stride(n, Axpy{alpha, x, y});
}

template <bool BF16>
__global__ void pack_kernel(const float* src, uint16_t* dst, int n)
{
    grid_stride(n, Pack<BF16>{src, dst});
}

template <bool BF16>
__global__ void unpack_kernel(const uint16_t* src, float* dst, int n)
{
    grid_stride(n, Unpack<BF16>{src, dst});
}

}

extern "C" int tk_sum(tk_context* c, const float* const* inputs, int input_count, float* out, int n)
{
    TK_ON_DEVICE(c);
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
    TK_ON_DEVICE(c);
    if (n <= 0)
    {
        return 0;
    }
    scale_kernel<<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(x, n, alpha);
    return tk::launched();
}

extern "C" int tk_axpy(tk_context* c, int n, float alpha, const float* x, float* y)
{
    TK_ON_DEVICE(c);
    if (n <= 0)
    {
        return 0;
    }
    axpy_kernel<<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(n, alpha, x, y);
    return tk::launched();
}

extern "C" int tk_pack_half(tk_context* c, const float* src, uint16_t* dst, int n)
{
    TK_ON_DEVICE(c);
    if (n <= 0)
    {
        return 0;
    }
    pack_kernel<false><<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, dst, n);
    return tk::launched();
}

extern "C" int tk_unpack_half(tk_context* c, const uint16_t* src, float* dst, int n)
{
    TK_ON_DEVICE(c);
    if (n <= 0)
    {
        return 0;
    }
    unpack_kernel<false><<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, dst, n);
    return tk::launched();
}

extern "C" int tk_pack_bf16(tk_context* c, const float* src, uint16_t* dst, int n)
{
    TK_ON_DEVICE(c);
    if (n <= 0)
    {
        return 0;
    }
    pack_kernel<true><<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, dst, n);
    return tk::launched();
}

extern "C" int tk_unpack_bf16(tk_context* c, const uint16_t* src, float* dst, int n)
{
    TK_ON_DEVICE(c);
    if (n <= 0)
    {
        return 0;
    }
    unpack_kernel<true><<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, dst, n);
    return tk::launched();
}
