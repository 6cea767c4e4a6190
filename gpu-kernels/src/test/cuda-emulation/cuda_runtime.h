/*
 * A CPU stand-in for the CUDA runtime, for CudaEmulationTest only: it runs the real kernel sources of
 * gpu-kernels/src/main/cuda (launches rewritten to tk_emu::launch by the test) with one std::thread per CUDA
 * thread, blocks one after another, std::barrier for __syncthreads and per-warp barriers for shuffles and
 * ballots. It checks indexing, tiling, scans and synchronisation logic; it says nothing about speed, and
 * device memory is plain host memory.
 */
#ifndef TK_EMU_CUDA_RUNTIME_H
#define TK_EMU_CUDA_RUNTIME_H

#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

typedef int cudaError_t;
const cudaError_t cudaSuccess = 0;
typedef void* cudaStream_t;
typedef std::chrono::steady_clock::time_point* cudaEvent_t;
enum cudaMemcpyKind { cudaMemcpyHostToHost, cudaMemcpyHostToDevice, cudaMemcpyDeviceToHost, cudaMemcpyDeviceToDevice, cudaMemcpyDefault };
enum cudaDeviceAttr { cudaDevAttrMultiProcessorCount };
const unsigned cudaStreamNonBlocking = 1;

struct dim3
{
    unsigned x, y, z;
    dim3(unsigned a = 1, unsigned b = 1, unsigned c = 1) : x(a), y(b), z(c) {}
};

struct cudaDeviceProp
{
    char name[256];
    int major;
    int minor;
    int multiProcessorCount;
    size_t totalGlobalMem;
};

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static

namespace tk_emu
{
inline thread_local dim3 thread_index;
inline thread_local dim3 block_index;
inline dim3 block_dim;
inline dim3 grid_dim;
inline std::barrier<>* block_barrier;
/* The emulated current device of the calling thread, and the device each launch and allocation went to. */
inline thread_local int current_device = 0;
inline int device_count = 2;
inline int last_launch_device = -1;
inline int last_malloc_device = -1;
inline std::vector<std::unique_ptr<std::barrier<>>> warp_barriers;
inline uint64_t warp_exchange[32][32];

/* Runs a kernel body for every thread of every block; blocks in order, the threads of one block at once. */
template <typename Body>
void launch(dim3 grid, dim3 block, Body body)
{
    grid_dim = grid;
    block_dim = block;
    last_launch_device = current_device;
    for (unsigned b = 0; b < grid.x; b++)
    {
        std::barrier<> barrier((std::ptrdiff_t)block.x);
        block_barrier = &barrier;
        warp_barriers.clear();
        for (unsigned w = 0; w * 32 < block.x; w++)
        {
            warp_barriers.emplace_back(new std::barrier<>((std::ptrdiff_t)std::min(32u, block.x - w * 32)));
        }
        std::vector<std::thread> threads;
        for (unsigned t = 0; t < block.x; t++)
        {
            threads.emplace_back([&, t, b] {
                thread_index = dim3(t);
                block_index = dim3(b);
                body();
            });
        }
        for (std::thread& thread : threads)
        {
            thread.join();
        }
    }
}

inline void warp_sync()
{
    warp_barriers[thread_index.x >> 5]->arrive_and_wait();
}
}

#define threadIdx tk_emu::thread_index
#define blockIdx tk_emu::block_index
#define blockDim tk_emu::block_dim
#define gridDim tk_emu::grid_dim

inline void __syncthreads()
{
    tk_emu::block_barrier->arrive_and_wait();
}

template <typename T>
T __shfl_up_sync(unsigned, T value, int offset)
{
    static_assert(sizeof(T) <= 8, "shuffle of at most 8 bytes");
    const unsigned lane = threadIdx.x & 31;
    const unsigned warp = threadIdx.x >> 5;
    uint64_t bits = 0;
    memcpy(&bits, &value, sizeof(T));
    tk_emu::warp_exchange[warp][lane] = bits;
    tk_emu::warp_sync();
    const uint64_t got = lane >= (unsigned)offset ? tk_emu::warp_exchange[warp][lane - offset] : bits;
    tk_emu::warp_sync();
    T out;
    memcpy(&out, &got, sizeof(T));
    return out;
}

inline unsigned __ballot_sync(unsigned, bool predicate)
{
    const unsigned lane = threadIdx.x & 31;
    const unsigned warp = threadIdx.x >> 5;
    tk_emu::warp_exchange[warp][lane] = predicate ? 1 : 0;
    tk_emu::warp_sync();
    unsigned votes = 0;
    for (unsigned l = 0; l < 32 && warp * 32 + l < blockDim.x; l++)
    {
        votes |= (unsigned)tk_emu::warp_exchange[warp][l] << l;
    }
    tk_emu::warp_sync();
    return votes;
}

inline unsigned atomicAdd(unsigned* address, unsigned value)
{
    return std::atomic_ref<unsigned>(*address).fetch_add(value);
}

inline unsigned atomicMax(unsigned* address, unsigned value)
{
    std::atomic_ref<unsigned> word(*address);
    unsigned seen = word.load();
    while (seen < value && !word.compare_exchange_weak(seen, value))
    {
    }
    return seen;
}

/* No float atomicAdd: atom.add.f32 may flush subnormals and adds in no fixed order, so the kernels must not use it. */

inline int __popc(unsigned x)
{
    return __builtin_popcount(x);
}

inline unsigned __float_as_uint(float f)
{
    unsigned u;
    memcpy(&u, &f, 4);
    return u;
}

inline float __uint_as_float(unsigned u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }

inline const char* cudaGetErrorString(cudaError_t e) { return e == 0 ? "no error" : "emulated error"; }
inline cudaError_t cudaGetLastError() { return 0; }
inline cudaError_t cudaGetDeviceCount(int* count) { *count = tk_emu::device_count; return 0; }
inline cudaError_t cudaGetDevice(int* device) { *device = tk_emu::current_device; return 0; }
inline cudaError_t cudaSetDevice(int device)
{
    if (device < 0 || device >= tk_emu::device_count)
    {
        return 101; /* cudaErrorInvalidDevice */
    }
    tk_emu::current_device = device;
    return 0;
}
/* No "SMs": tk::grid_for then launches one block, so every grid-stride loop, unrolled rounds and tail, goes round many times. */
inline cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr, int) { *value = 0; return 0; }
inline cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int)
{
    memset(p, 0, sizeof(*p));
    strcpy(p->name, "CPU emulation");
    p->major = 9;
    p->multiProcessorCount = 2;
    p->totalGlobalMem = 1ull << 30;
    return 0;
}
inline cudaError_t cudaDriverGetVersion(int* v) { *v = 0; return 0; }
inline cudaError_t cudaRuntimeGetVersion(int* v) { *v = 0; return 0; }
inline cudaError_t cudaStreamCreateWithFlags(cudaStream_t* s, unsigned) { *s = (cudaStream_t)1; return 0; }
inline cudaError_t cudaStreamDestroy(cudaStream_t) { return 0; }
inline cudaError_t cudaStreamSynchronize(cudaStream_t) { return 0; }
inline cudaError_t cudaDeviceSynchronize() { return 0; }
inline cudaError_t cudaMalloc(void** p, size_t bytes)
{
    tk_emu::last_malloc_device = tk_emu::current_device;
    *p = calloc(1, bytes == 0 ? 1 : bytes);
    return *p ? 0 : 2;
}
template <typename T> cudaError_t cudaMalloc(T** p, size_t bytes) { return cudaMalloc((void**)p, bytes); }
inline cudaError_t cudaMallocHost(void** p, size_t bytes) { return cudaMalloc(p, bytes); }
inline cudaError_t cudaFree(void* p) { free(p); return 0; }
inline cudaError_t cudaFreeHost(void* p) { free(p); return 0; }
inline cudaError_t cudaMemcpy(void* d, const void* s, size_t n, cudaMemcpyKind) { memcpy(d, s, n); return 0; }
inline cudaError_t cudaMemcpyAsync(void* d, const void* s, size_t n, cudaMemcpyKind, cudaStream_t = nullptr) { memcpy(d, s, n); return 0; }
inline cudaError_t cudaMemset(void* d, int v, size_t n) { memset(d, v, n); return 0; }
inline cudaError_t cudaMemsetAsync(void* d, int v, size_t n, cudaStream_t = nullptr) { memset(d, v, n); return 0; }

#endif
