/* Shared by the parts of the GPU check harness: correctness (tk_check.cu), timing (tk_timing.cu), report (tk_report.cu). */
#ifndef TRIBUTARY_TK_CHECK_H
#define TRIBUTARY_TK_CHECK_H

#include <string>
#include <vector>
#include "tk.h"

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
