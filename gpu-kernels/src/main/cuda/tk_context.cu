/* Devices, contexts (stream, scratch memory, pinned result word) and copies. */
#include "tk_internal.cuh"

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
