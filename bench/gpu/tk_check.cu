/*
 * GPU check for the Tributary kernels, run by bench/gpu-check.sh on a machine without Java:
 *   tk_check REFERENCE_DIR RESULTS_DIR [--quick]
 * 1. runs every kernel on the reference vectors that CpuGradientKernels wrote (gpu-kernels/src/test/
 *    resources/reference) and demands identical bytes;
 * 2. times every kernel on large buffers against a device-to-device cudaMemcpy in the same run;
 * 3. writes RESULTS_DIR/kernels-gpu.md and RESULTS_DIR/kernels-gpu.json (tk_report.cu).
 * Exit status: 0 all checks pass, 1 a check failed, 2 bad usage or unreadable reference, 3 no CUDA device.
 */
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
#include "tk_check.h"

namespace
{

bool load_meta(Reference& ref)
{
    std::ifstream in(ref.dir + "/meta.txt");
    if (!in)
    {
        fprintf(stderr, "tk_check: cannot read %s/meta.txt\n", ref.dir.c_str());
        return false;
    }
    std::string line;
    while (std::getline(in, line))
    {
        const size_t eq = line.find('=');
        if (!line.empty() && line[0] != '#' && eq != std::string::npos)
        {
            ref.meta[line.substr(0, eq)] = line.substr(eq + 1);
        }
    }
    return true;
}


}

namespace
{

std::vector<CheckRow> checks;

}


void record(const std::string& kernel, int error, const Bytes& got, const Bytes& expected, int element_bytes)
{
    CheckRow row = {kernel, false, ""};
    char detail[256];
    if (error != 0)
    {
        snprintf(detail, sizeof(detail), "CUDA error %d: %s", error, tk_error_string(error));
    }
    else if (got.size() != expected.size())
    {
        snprintf(detail, sizeof(detail), "size %zu, expected %zu", got.size(), expected.size());
    }
    else
    {
        size_t i = 0;
        while (i < got.size() && got[i] == expected[i])
        {
            i++;
        }
        if (i == got.size())
        {
            row.pass = true;
            snprintf(detail, sizeof(detail), "%zu bytes identical", got.size());
        }
        else
        {
            const size_t e = i / element_bytes * element_bytes;
            unsigned g = 0, x = 0;
            memcpy(&g, &got[e], element_bytes);
            memcpy(&x, &expected[e], element_bytes);
            snprintf(detail, sizeof(detail), "element %zu differs: got 0x%x, expected 0x%x", e / element_bytes, g, x);
        }
    }
    row.detail = detail;
    printf("  %-28s %s  %s\n", kernel.c_str(), row.pass ? "PASS" : "FAIL", row.detail.c_str());
    checks.push_back(row);
}

void record_count(const std::string& kernel, int error, int got, int expected)
{
    CheckRow row = {kernel, error == 0 && got == expected, ""};
    char detail[128];
    snprintf(detail, sizeof(detail), error != 0 ? "CUDA error %d" : "%d, expected %d", error != 0 ? error : got, expected);
    row.detail = detail;
    printf("  %-28s %s  %s\n", kernel.c_str(), row.pass ? "PASS" : "FAIL", row.detail.c_str());
    checks.push_back(row);
}

namespace
{

bool check_all(tk_context* c, const Reference& ref)
{
    const int n = (int)ref.integer("n");
    const int bucket = (int)ref.integer("bucket");
    const int capacity = (int)ref.integer("capacity");
    const int written = (int)ref.integer("written");
    const int k = (int)ref.integer("k");
    const float tau = ref.bits("tau_bits");
    const size_t f32 = (size_t)n * 4;
    Bytes a, b, g3, special, codes16, tied, expected;
    if (!ref.file("grad_a.f32", a) || !ref.file("grad_b.f32", b) || !ref.file("grad_c.f32", g3) ||
        !ref.file("special.f32", special) || !ref.file("codes.u16", codes16) || !ref.file("tied.f32", tied))
    {
        return false;
    }
    int err;
    {
        DeviceArena d;
        const float* in[3] = {(float*)d.upload(a), (float*)d.upload(b), (float*)d.upload(g3)};
        float* out = (float*)d.alloc(f32);
        err = tk_sum(c, in, 3, out, n);
        err = err ? err : tk_synchronize(c);
        ref.file("sum.f32", expected);
        record("sum (3 inputs)", err, d.download(out, f32), expected, 4);

        float* x = (float*)d.upload(a);
        err = tk_scale(c, x, n, ref.bits("alpha_bits"));
        err = err ? err : tk_synchronize(c);
        ref.file("scale.f32", expected);
        record("scale", err, d.download(x, f32), expected, 4);

        float* y = (float*)d.upload(b);
        err = tk_axpy(c, n, ref.bits("axpy_alpha_bits"), in[0], y);
        err = err ? err : tk_synchronize(c);
        ref.file("axpy.f32", expected);
        record("axpy", err, d.download(y, f32), expected, 4);
    }
    {
        DeviceArena d;
        const float* src = (const float*)d.upload(special);
        const uint16_t* codes = (const uint16_t*)d.upload(codes16);
        uint16_t* half = (uint16_t*)d.alloc((size_t)n * 2);
        float* wide = (float*)d.alloc(f32);
        err = tk_pack_half(c, src, half, n);
        err = err ? err : tk_synchronize(c);
        ref.file("half.u16", expected);
        record("packHalf", err, d.download(half, (size_t)n * 2), expected, 2);
        err = tk_pack_bf16(c, src, half, n);
        err = err ? err : tk_synchronize(c);
        ref.file("bf16.u16", expected);
        record("packBfloat16", err, d.download(half, (size_t)n * 2), expected, 2);
        err = tk_unpack_half(c, codes, wide, n);
        err = err ? err : tk_synchronize(c);
        ref.file("unhalf.f32", expected);
        record("unpackHalf", err, d.download(wide, f32), expected, 4);
        err = tk_unpack_bf16(c, codes, wide, n);
        err = err ? err : tk_synchronize(c);
        ref.file("unbf16.f32", expected);
        record("unpackBfloat16", err, d.download(wide, f32), expected, 4);
    }
    {
        DeviceArena d;
        const int buckets = (n + bucket - 1) / bucket;
        int8_t* q = (int8_t*)d.alloc((size_t)n);
        float* scales = (float*)d.alloc((size_t)buckets * 4);
        float* out = (float*)d.alloc(f32);
        err = tk_quantise8(c, (const float*)d.upload(a), n, bucket, (uint64_t)ref.integer("seed", 16), q, scales);
        err = err ? err : tk_synchronize(c);
        ref.file("q8.i8", expected);
        record("quantise8 codes", err, d.download(q, (size_t)n), expected, 1);
        ref.file("q8scales.f32", expected);
        record("quantise8 scales", err, d.download(scales, (size_t)buckets * 4), expected, 4);
        Bytes q8, q8scales;
        ref.file("q8.i8", q8);
        ref.file("q8scales.f32", q8scales);
        err = tk_dequantise8(c, (const int8_t*)d.upload(q8), (const float*)d.upload(q8scales), n, bucket, out);
        err = err ? err : tk_synchronize(c);
        ref.file("deq.f32", expected);
        record("dequantise8", err, d.download(out, f32), expected, 4);
    }
    {
        DeviceArena d;
        float* r = (float*)d.upload(g3);
        int32_t* enc = (int32_t*)d.alloc((size_t)capacity * 4);
        int got = -1;
        err = tk_threshold_encode(c, r, n, tau, enc, capacity, &got);
        ref.file("th_enc.i32", expected);
        record_count("thresholdEncode count", err, got, written);
        const int kept = got < 0 ? 0 : (got > capacity ? capacity : got);
        record("thresholdEncode entries", err, d.download(enc, (size_t)kept * 4), expected, 4);
        ref.file("th_res.f32", expected);
        record("thresholdEncode residual", err, d.download(r, f32), expected, 4);
        Bytes enc_ref;
        ref.file("th_enc.i32", enc_ref);
        float* out = (float*)d.alloc(f32);
        int applied = -1;
        err = tk_threshold_decode(c, (const int32_t*)d.upload(enc_ref), written, tau, out, n, &applied);
        ref.file("th_dec.f32", expected);
        record("thresholdDecode", err, d.download(out, f32), expected, 4);
        record_count("thresholdDecode count", err, applied, written);
    }
    {
        DeviceArena d;
        float* r = (float*)d.upload(tied);
        int32_t* idx = (int32_t*)d.alloc((size_t)k * 4);
        float* val = (float*)d.alloc((size_t)k * 4);
        err = tk_topk(c, r, n, k, idx, val);
        ref.file("topk_idx.i32", expected);
        record("topK indices", err, d.download(idx, (size_t)k * 4), expected, 4);
        ref.file("topk_val.f32", expected);
        record("topK values", err, d.download(val, (size_t)k * 4), expected, 4);
        ref.file("topk_res.f32", expected);
        record("topK residual", err, d.download(r, f32), expected, 4);
        float* out = (float*)d.alloc(f32);
        int applied = -1;
        err = tk_topk_decode(c, idx, val, k, out, n, &applied);
        ref.file("topk_dec.f32", expected);
        record("topKDecode", err, d.download(out, f32), expected, 4);
        record_count("topKDecode count", err, applied, k);
    }
    return check_edges(c, ref);
}

}

int main(int argc, char** argv)
{
    if (argc < 3)
    {
        fprintf(stderr, "usage: tk_check REFERENCE_DIR RESULTS_DIR [--quick]\n");
        return 2;
    }
    const bool quick = argc > 3 && strcmp(argv[3], "--quick") == 0;
    int count = 0;
    const int status = tk_device_count(&count);
    if (status != 0 || count == 0)
    {
        char reason[256];
        snprintf(reason, sizeof(reason), "no CUDA device (cudaGetDeviceCount: %s)", status != 0 ? tk_error_string(status) : "0 devices");
        fprintf(stderr, "tk_check: %s\n", reason);
        write_results(argv[2], reason, checks, std::vector<TimingRow>(), false);
        return 3;
    }
    cudaDeviceProp prop;
    cudaGetDeviceProperties(&prop, 0);
    int driver = 0, runtime = 0;
    cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    char device[256];
    snprintf(device, sizeof(device), "%s (sm_%d%d, %d SMs, %.0f GiB, driver %d, runtime %d)", prop.name, prop.major, prop.minor,
        prop.multiProcessorCount, prop.totalGlobalMem / 1073741824.0, driver, runtime);
    printf("tk_check: device 0 of %d: %s\n", count, device);

    Reference ref;
    ref.dir = argv[1];
    if (!load_meta(ref))
    {
        return 2;
    }
    tk_context* c = nullptr;
    const int created = tk_create(0, &c);
    if (created != 0)
    {
        fprintf(stderr, "tk_check: tk_create failed: %s\n", tk_error_string(created));
        return 3;
    }
    printf("tk_check: correctness against %s (n=%s)\n", ref.dir.c_str(), ref.meta["n"].c_str());
    if (!check_all(c, ref))
    {
        tk_destroy(c);
        return 2;
    }
    bool all_pass = true;
    for (const CheckRow& r : checks)
    {
        all_pass = all_pass && r.pass;
    }
    printf("tk_check: correctness %s\n", all_pass ? "ALL PASS" : "FAILED");

    std::vector<TimingRow> rows;
    std::string error;
    const long long n = quick ? (1ll << 24) : (1ll << 26);
    printf("tk_check: timing on %lld floats (%lld MiB per float buffer)\n", n, n * 4 >> 20);
    if (!run_timing(c, n, quick ? 5 : 20, rows, error))
    {
        fprintf(stderr, "tk_check: timing failed: %s\n", error.c_str());
        all_pass = false;
    }
    for (const TimingRow& r : rows)
    {
        printf("  %-28s %10.1f us %8.0f GB/s  %5.2f x copy\n", r.kernel.c_str(), r.micros, r.gbps, r.vs_copy);
    }
    write_results(argv[2], device, checks, rows, all_pass);
    printf("tk_check: wrote %s/kernels-gpu.md and %s/kernels-gpu.json\n", argv[2], argv[2]);
    tk_destroy(c);
    return all_pass ? 0 : 1;
}
