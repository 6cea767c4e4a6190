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

/* Leaves the calling thread's current device as it found it (ND4J keeps a device per thread). */
extern "C" int tk_create(int device, tk_context** out)
{
    *out = nullptr;
    int previous = 0;
    int err = (int)cudaGetDevice(&previous);
    if (err != 0)
    {
        return err;
    }
    tk_context* c = new tk_context();
    c->device = device;
    err = (int)cudaSetDevice(device);
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
    }
    else
    {
        *out = c;
    }
    cudaSetDevice(previous);
    return err;
}

extern "C" void tk_destroy(tk_context* c)
{
    if (c == nullptr)
    {
        return;
    }
    tk::DeviceScope scope(c);
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
    TK_ON_DEVICE(c);
    return (int)cudaStreamSynchronize(c->stream);
}

extern "C" void* tk_stream(tk_context* c)
{
    return (void*)c->stream;
}

extern "C" int tk_copy(tk_context* c, void* dst, const void* src, size_t bytes)
{
    TK_ON_DEVICE(c);
    return (int)cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDefault, c->stream);
}

extern "C" int tk_malloc(tk_context* c, size_t bytes, void** address)
{
    *address = nullptr;
    TK_ON_DEVICE(c);
    return (int)cudaMalloc(address, bytes);
}

extern "C" int tk_free(tk_context* c, void* address)
{
    TK_ON_DEVICE(c);
    return (int)cudaFree(address);
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
