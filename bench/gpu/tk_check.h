/* Shared by the parts of the GPU check harness: correctness (tk_check.cu), timing (tk_timing.cu), report (tk_report.cu). */
#ifndef TRIBUTARY_TK_CHECK_H
#define TRIBUTARY_TK_CHECK_H

#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>
#include "tk.h"

typedef std::vector<unsigned char> Bytes;

struct Reference
{
    std::string dir;
    std::map<std::string, std::string> meta;

    bool file(const std::string& name, Bytes& out) const
    {
        std::ifstream in(dir + "/" + name, std::ios::binary);
        if (!in)
        {
            fprintf(stderr, "tk_check: cannot read %s/%s\n", dir.c_str(), name.c_str());
            return false;
        }
        out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        return true;
    }

    long long integer(const char* key, int base = 10) const
    {
        const auto it = meta.find(key);
        if (it == meta.end())
        {
            fprintf(stderr, "tk_check: meta.txt has no key %s\n", key);
            exit(2);
        }
        return (long long)strtoull(it->second.c_str(), nullptr, base);
    }

    float bits(const char* key) const
    {
        const unsigned u = (unsigned)integer(key, 16);
        float f;
        memcpy(&f, &u, 4);
        return f;
    }
};

/*
 * Device buffers freed at the end of each check. Uploads and clears run on the legacy default stream, which
 * the kernels' non-blocking stream does not wait for: so each one ends with a device-wide synchronisation.
 */
struct DeviceArena
{
    std::vector<void*> blocks;

    void* upload(const Bytes& host)
    {
        void* p = alloc(host.size());
        if (p != nullptr && !host.empty())
        {
            cudaMemcpy(p, host.data(), host.size(), cudaMemcpyHostToDevice);
            cudaDeviceSynchronize();
        }
        return p;
    }

    void* alloc(size_t bytes)
    {
        void* p = nullptr;
        if (cudaMalloc(&p, bytes < 256 ? 256 : bytes) != cudaSuccess)
        {
            return nullptr;
        }
        cudaMemset(p, 0, bytes < 256 ? 256 : bytes);
        cudaDeviceSynchronize();
        blocks.push_back(p);
        return p;
    }

    Bytes download(const void* p, size_t bytes)
    {
        Bytes out(bytes);
        cudaMemcpy(out.data(), p, bytes, cudaMemcpyDeviceToHost);
        return out;
    }

    ~DeviceArena()
    {
        for (void* p : blocks)
        {
            cudaFree(p);
        }
    }
};

/* One PASS/FAIL row: the bytes must be identical, or the count equal (tk_check.cu). */
void record(const std::string& kernel, int error, const Bytes& got, const Bytes& expected, int element_bytes);
void record_count(const std::string& kernel, int error, int got, int expected);

/* The hard cases (tk_check_edges.cu); false when a reference file cannot be read. */
bool check_edges(tk_context* c, const Reference& ref);

struct CheckRow
{
    std::string kernel;
    bool pass;
    std::string detail;
};

struct TimingRow
{
    std::string kernel;
    double bytes;       /* bytes the kernel must read and write per call (see tk_timing.cu) */
    double micros;      /* median over the repetitions */
    double gbps;
    double vs_copy;     /* gbps / device-to-device copy gbps measured in the same run */
};

/* Runs every kernel on large buffers and times it against cudaMemcpy device to device. */
bool run_timing(tk_context* c, long long n, int reps, std::vector<TimingRow>& rows, std::string& error);

/* RESULTS_DIR/kernels-gpu.md and kernels-gpu.json; checks empty means they did not run. */
void write_results(const std::string& dir, const std::string& device, const std::vector<CheckRow>& checks,
    const std::vector<TimingRow>& rows, bool all_pass);

#endif
