/*
 * For CudaEmulationTest: every C API call on a context of device 1, made from a thread whose current device is 0,
 * must launch and allocate on device 1 and leave the thread on device 0. Prints one line per failure and
 * "device pinning: ALL PASS" when none.
 */
#include <stdio.h>
#include <cuda_runtime.h>
#include "tk.h"

namespace
{

int failures = 0;

void expect(const char* call, int error, bool launches)
{
    int current = -1;
    cudaGetDevice(&current);
    if (error != 0)
    {
        printf("FAIL %s: error %d\n", call, error);
        failures++;
    }
    if (current != 0)
    {
        printf("FAIL %s: left the thread on device %d, not 0\n", call, current);
        failures++;
    }
    if (launches && tk_emu::last_launch_device != 1)
    {
        printf("FAIL %s: launched on device %d, not 1\n", call, tk_emu::last_launch_device);
        failures++;
    }
    tk_emu::last_launch_device = -1;
}

}

int main()
{
    const int n = 4096;
    cudaSetDevice(0);
    tk_context* c = nullptr;
    expect("tk_create", tk_create(1, &c), false);
    tk_context* bad = nullptr;
    int current = -1;
    if (tk_create(7, &bad) == 0 || bad != nullptr || (cudaGetDevice(&current), current) != 0)
    {
        printf("FAIL tk_create of a missing device: no error, or the thread was moved\n");
        failures++;
    }

    float* a = nullptr;
    float* b = nullptr;
    uint16_t* h = nullptr;
    int8_t* q = nullptr;
    int32_t* e = nullptr;
    tk_emu::last_malloc_device = -1;
    expect("tk_malloc", tk_malloc(c, n * 4, (void**)&a), false);
    if (tk_emu::last_malloc_device != 1)
    {
        printf("FAIL tk_malloc: allocated on device %d, not 1\n", tk_emu::last_malloc_device);
        failures++;
    }
    tk_malloc(c, n * 4, (void**)&b);
    tk_malloc(c, n * 2, (void**)&h);
    tk_malloc(c, n, (void**)&q);
    tk_malloc(c, n * 4, (void**)&e);
    cudaSetDevice(0);
    for (int i = 0; i < n; i++)
    {
        a[i] = (float)(i % 7) - 3.0f;
    }
    const float* inputs[2] = {a, a};
    int count = 0;
    expect("tk_copy", tk_copy(c, b, a, n * 4), false);
    expect("tk_sum", tk_sum(c, inputs, 2, b, n), true);
    expect("tk_scale", tk_scale(c, b, n, 0.5f), true);
    expect("tk_axpy", tk_axpy(c, n, 2.0f, a, b), true);
    expect("tk_pack_half", tk_pack_half(c, a, h, n), true);
    expect("tk_unpack_half", tk_unpack_half(c, h, b, n), true);
    expect("tk_pack_bf16", tk_pack_bf16(c, a, h, n), true);
    expect("tk_unpack_bf16", tk_unpack_bf16(c, h, b, n), true);
    expect("tk_quantise8", tk_quantise8(c, a, n, 100, 1, q, b), true);
    expect("tk_dequantise8", tk_dequantise8(c, q, b, n, 100, a), true);
    expect("tk_threshold_encode", tk_threshold_encode(c, a, n, 1.0f, e, n, &count), true);
    expect("tk_threshold_decode", tk_threshold_decode(c, e, count, 1.0f, b, n, &count), true);
    expect("tk_topk", tk_topk(c, b, n, 10, e, a), true);
    expect("tk_topk_decode", tk_topk_decode(c, e, a, 10, b, n, &count), true);
    expect("tk_synchronize", tk_synchronize(c), false);
    expect("tk_free", tk_free(c, a), false);
    tk_free(c, b);
    tk_free(c, h);
    tk_free(c, q);
    tk_free(c, e);
    tk_destroy(c);
    expect("tk_destroy", 0, false);
    printf("device pinning: %s\n", failures == 0 ? "ALL PASS" : "FAILED");
    return failures == 0 ? 0 : 1;
}
