/* What the kernel files share: the context and launch helpers. Not part of the C API. */
#ifndef TRIBUTARY_TK_INTERNAL_CUH
#define TRIBUTARY_TK_INTERNAL_CUH

#include <cuda_runtime.h>
#include <stddef.h>
#include "tk.h"

struct tk_context
{
    int device;
    int sm_count;
    cudaStream_t stream;
    void* scratch;          /* device memory for histograms, tile counts and counters, grown on demand */
    size_t scratch_bytes;
    unsigned long long* host_result; /* pinned, for counts read back at the end of a call */
};

namespace tk
{

const int BLOCK = 256;
const int UNROLL = 4;

/*
 * A grid-stride loop that hands op UNROLL indices at a time (i, i + stride, ...). Each op loads all of
 * them before it stores any, so a thread keeps UNROLL independent loads in flight: a memory-bound kernel
 * needs that to come near copy bandwidth on H100-class memory. The remainder goes one index at a time.
 */
template <typename Op>
__device__ __forceinline__ void grid_stride(int n, const Op& op)
{
    const size_t stride = (size_t)gridDim.x * blockDim.x;
    size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    for (; i + (UNROLL - 1) * stride < (size_t)n; i += UNROLL * stride)
    {
        op.template apply<UNROLL>(i, stride);
    }
    for (; i < (size_t)n; i += stride)
    {
        op.template apply<1>(i, stride);
    }
}

/* Grid size for a grid-stride loop over n elements: enough blocks to fill the device, no more. */
inline int grid_for(const tk_context* c, long long n)
{
    long long blocks = (n + BLOCK - 1) / BLOCK;
    const long long cap = (long long)c->sm_count * 16;
    if (blocks > cap)
    {
        blocks = cap;
    }
    return blocks < 1 ? 1 : (int)blocks;
}

int ensure_scratch(tk_context* c, size_t bytes);

/*
 * Makes the context's device current for one entry point and restores the caller's afterwards, so that
 * launches, stream operations and allocations go to c->device whichever thread calls, and the thread's own
 * device (ND4J keeps one per thread) is left as it was. cudaGetDevice/cudaSetDevice are thread-local and cheap.
 */
struct DeviceScope
{
    int previous;
    bool switched;
    int error;

    explicit DeviceScope(const tk_context* c) : previous(0), switched(false), error(0)
    {
        error = (int)cudaGetDevice(&previous);
        if (error == 0 && previous != c->device)
        {
            error = (int)cudaSetDevice(c->device);
            switched = error == 0;
        }
    }

    ~DeviceScope()
    {
        if (switched)
        {
            cudaSetDevice(previous);
        }
    }

    DeviceScope(const DeviceScope&) = delete;
    DeviceScope& operator=(const DeviceScope&) = delete;
};

inline int launched()
{
    return (int)cudaGetLastError();
}

}

/* First line of every C API function that takes a context: pins its device for the rest of the function. */
#define TK_ON_DEVICE(c) tk::DeviceScope tk_scope_(c); TK_CHECK(tk_scope_.error)

#define TK_CHECK(call) do { const int tk_err_ = (int)(call); if (tk_err_ != 0) { return tk_err_; } } while (0)

#endif
