/*
 * Timing half of the GPU check. Each kernel runs on buffers of n floats; its rate is the bytes it must
 * read and write per call (inputs read once, outputs written once) over the median time of `reps` calls,
 * measured with CUDA events on the kernels' stream. The peer is cudaMemcpyAsync device to device of 4n bytes
 * (counted as 8n: read + write), timed at the start and at the end of the same run; vs copy uses their mean.
 */
#include <cuda_runtime.h>
#include <algorithm>
#include <functional>
#include "tk_check.h"

namespace
{

/* Values in [-1, 1) times 2^-(0..7): magnitudes spread like gradients, a known share above any tau. */
__global__ void fill_kernel(float* x, long long n, unsigned long long seed)
{
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
    {
        unsigned long long z = seed + (unsigned long long)(i + 1) * 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        const float u = (float)(z >> 40) * 0x1p-23f - 1.0f;
        x[i] = ldexpf(u, -(int)(z & 7));
    }
}

struct Bench
{
    cudaStream_t stream;
    cudaEvent_t start;
    cudaEvent_t stop;
    int reps;
    int error;

    /* Median microseconds of op over reps calls; reset (untimed) runs before each call. */
    double time(const std::function<int()>& op, const std::function<void()>& reset)
    {
        std::vector<float> samples;
        for (int r = -1; r < reps && error == 0; r++)
        {
            reset();
            cudaEventRecord(start, stream);
            error = op();
            cudaEventRecord(stop, stream);
            const int synced = (int)cudaEventSynchronize(stop);
            error = error != 0 ? error : synced;
            float ms = 0;
            cudaEventElapsedTime(&ms, start, stop);
            if (r >= 0)
            {
                samples.push_back(ms * 1000.0f);
            }
        }
        if (samples.empty())
        {
            return 0;
        }
        std::sort(samples.begin(), samples.end());
        return samples[samples.size() / 2];
    }
};

}

bool run_timing(tk_context* c, long long n64, int reps, std::vector<TimingRow>& rows, std::string& error)
{
    const int n = (int)n64;
    const size_t f32 = (size_t)n * 4;
    const int bucket = 512;
    const int buckets = (n + bucket - 1) / bucket;
    const int capacity = n / 50;
    const int k = n / 100;
    const float tau = 0.9f;
    float *a, *b, *c3, *d4, *out, *pristine, *scales, *values;
    uint16_t* half;
    int8_t* codes;
    int32_t *encoded, *indices;
    void** all[] = {(void**)&a, (void**)&b, (void**)&c3, (void**)&d4, (void**)&out, (void**)&pristine, (void**)&scales,
        (void**)&values, (void**)&half, (void**)&codes, (void**)&encoded, (void**)&indices};
    const size_t sizes[] = {f32, f32, f32, f32, f32, f32, (size_t)buckets * 4, (size_t)k * 4, (size_t)n * 2, (size_t)n,
        (size_t)capacity * 4, (size_t)k * 4};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
    {
        *all[i] = nullptr;
    }
    bool ok = true;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && ok; i++)
    {
        const cudaError_t e = cudaMalloc(all[i], sizes[i]);
        if (e != cudaSuccess)
        {
            error = std::string("cudaMalloc: ") + cudaGetErrorString(e);
            ok = false;
        }
    }
    Bench bench = {(cudaStream_t)tk_stream(c), nullptr, nullptr, reps, 0};
    cudaEventCreate(&bench.start);
    cudaEventCreate(&bench.stop);
    if (ok)
    {
        float* fills[] = {a, b, c3, d4, pristine};
        for (int i = 0; i < 5; i++)
        {
            fill_kernel<<<1024, 256, 0, bench.stream>>>(fills[i], n, 1000 + i);
        }
        cudaStreamSynchronize(bench.stream);

        const double fn = (double)n;
        const auto none = [] {};
        const auto restore = [&] { cudaMemcpyAsync(out, pristine, f32, cudaMemcpyDeviceToDevice, bench.stream); };
        const auto copy = [&] { return (int)cudaMemcpyAsync(out, a, f32, cudaMemcpyDeviceToDevice, bench.stream); };
        const float* two[] = {a, b};
        const float* four[] = {a, b, c3, d4};
        int written = 0;
        int applied = 0;

        struct Spec
        {
            const char* name;
            double bytes;
            std::function<int()> op;
            std::function<void()> reset;
        };
        std::vector<Spec> specs = {
            {"copy D2D (start)", 8 * fn, copy, none},
            {"sum (2 inputs)", 12 * fn, [&] { return tk_sum(c, two, 2, out, n); }, none},
            {"sum (4 inputs)", 20 * fn, [&] { return tk_sum(c, four, 4, out, n); }, none},
            {"scale", 8 * fn, [&] { return tk_scale(c, out, n, 0.999f); }, restore},
            {"axpy", 12 * fn, [&] { return tk_axpy(c, n, 0.5f, a, out); }, restore},
            {"packHalf", 6 * fn, [&] { return tk_pack_half(c, a, half, n); }, none},
            {"unpackHalf", 6 * fn, [&] { return tk_unpack_half(c, half, out, n); }, none},
            {"packBfloat16", 6 * fn, [&] { return tk_pack_bf16(c, a, half, n); }, none},
            {"unpackBfloat16", 6 * fn, [&] { return tk_unpack_bf16(c, half, out, n); }, none},
            {"quantise8 (bucket 512)", 5 * fn + 4.0 * buckets, [&] { return tk_quantise8(c, a, n, bucket, 7, codes, scales); }, none},
            {"quantise8 (one bucket of n)", 5 * fn + 4.0, [&] { return tk_quantise8(c, a, n, n, 7, codes, scales); }, none},
            {"dequantise8 (bucket 512)", 5 * fn + 4.0 * buckets, [&] { return tk_dequantise8(c, codes, scales, n, bucket, out); }, none},
            {"thresholdEncode (~1.2%)", 4 * fn, [&] { return tk_threshold_encode(c, out, n, tau, encoded, capacity, &written); }, restore},
            {"thresholdDecode", 0, [&] { return tk_threshold_decode(c, encoded, written, tau, out, n, &applied); }, none},
            {"topK (k = n/100)", 4 * fn + 12.0 * k, [&] { return tk_topk(c, out, n, k, indices, values); }, restore},
            {"topKDecode", 16.0 * k, [&] { return tk_topk_decode(c, indices, values, k, out, n, &applied); }, none},
            {"copy D2D (end)", 8 * fn, copy, none},
        };
        for (Spec& s : specs)
        {
            const double us = bench.time(s.op, s.reset);
            if (bench.error != 0)
            {
                error = std::string(s.name) + ": " + tk_error_string(bench.error);
                ok = false;
                break;
            }
            double bytes = s.bytes;
            if (std::string(s.name) == "thresholdEncode (~1.2%)")
            {
                bytes += 8.0 * written; /* the entries and the residual updates of the sent elements */
            }
            else if (std::string(s.name) == "thresholdDecode")
            {
                bytes = 12.0 * written;
            }
            rows.push_back({s.name, bytes, us, us > 0 ? bytes / (us * 1e3) : 0, 0});
        }
        if (ok)
        {
            const double copy_gbps = (rows.front().gbps + rows.back().gbps) / 2;
            for (TimingRow& r : rows)
            {
                r.vs_copy = copy_gbps > 0 ? r.gbps / copy_gbps : 0;
            }
        }
    }
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
    {
        cudaFree(*all[i]);
    }
    cudaEventDestroy(bench.start);
    cudaEventDestroy(bench.stop);
    return ok;
}
