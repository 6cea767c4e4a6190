/* Writes the GPU check's results as markdown and JSON. */
#include <stdio.h>
#include <fstream>
#include "tk_check.h"

namespace
{

std::string json_escape(const std::string& s)
{
    std::string out;
    for (char ch : s)
    {
        if (ch == '"' || ch == '\\')
        {
            out += '\\';
        }
        out += ch;
    }
    return out;
}

}

void write_results(const std::string& dir, const std::string& device, const std::vector<CheckRow>& checks,
    const std::vector<TimingRow>& rows, bool all_pass)
{
    std::ofstream md(dir + "/kernels-gpu.md");
    md << "## GPU kernels on " << device << "\n\n"
       << "Correctness against CpuGradientKernels reference vectors: " << (checks.empty() ? "not run" : all_pass ? "all identical" : "FAILURES") << "\n\n"
       << "| check | result | detail |\n|---|---|---|\n";
    for (const CheckRow& r : checks)
    {
        md << "| " << r.kernel << " | " << (r.pass ? "PASS" : "FAIL") << " | " << r.detail << " |\n";
    }
    md << "\nThroughput (bytes = what the kernel must read + write per call; median of the repetitions;\n"
       << "vs copy = GB/s / cudaMemcpy device-to-device GB/s in the same run)\n\n"
       << "| kernel | MB per call | us | GB/s | vs copy |\n|---|---:|---:|---:|---:|\n";
    char line[256];
    for (const TimingRow& r : rows)
    {
        snprintf(line, sizeof(line), "| %s | %.1f | %.1f | %.0f | %.2f |\n", r.kernel.c_str(), r.bytes / 1e6, r.micros, r.gbps, r.vs_copy);
        md << line;
    }
    std::ofstream json(dir + "/kernels-gpu.json");
    json << "{\n  \"device\": \"" << json_escape(device) << "\",\n  \"all_pass\": " << (all_pass ? "true" : "false") << ",\n  \"checks\": [\n";
    for (size_t i = 0; i < checks.size(); i++)
    {
        json << "    {\"check\": \"" << json_escape(checks[i].kernel) << "\", \"pass\": " << (checks[i].pass ? "true" : "false")
             << ", \"detail\": \"" << json_escape(checks[i].detail) << "\"}" << (i + 1 < checks.size() ? ",\n" : "\n");
    }
    json << "  ],\n  \"timing\": [\n";
    for (size_t i = 0; i < rows.size(); i++)
    {
        snprintf(line, sizeof(line), "    {\"kernel\": \"%s\", \"bytes\": %.0f, \"us\": %.2f, \"gbps\": %.1f, \"vs_copy\": %.3f}%s\n",
            rows[i].kernel.c_str(), rows[i].bytes, rows[i].micros, rows[i].gbps, rows[i].vs_copy, i + 1 < rows.size() ? "," : "");
        json << line;
    }
    json << "  ]\n}\n";
}
