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

inline int launched()
{
    return (int)cudaGetLastError();
}

}

#define TK_CHECK(call) do { const int tk_err_ = (int)(call); if (tk_err_ != 0) { return tk_err_; } } while (0)

#endif
