#!/usr/bin/env bash
# Unattended check of the CUDA kernels on a lent GPU machine (no Java, Maven or network needed):
#   bash bench/gpu-check.sh RESULTS_DIR [--quick]
# from a copy of the repository root (committed files only). Steps:
#   1. builds bench/gpu/tk_check (the kernels of gpu-kernels/src/main/cuda + a C++ harness) with nvcc;
#   2. checks every kernel against the reference vectors that CpuGradientKernels wrote
#      (gpu-kernels/src/test/resources/reference) byte for byte, then times each kernel against a
#      device-to-device cudaMemcpy in the same run;
#   3. if a jlink'ed runtime bench/jre/ (or jre/ at the root) is present, made by bench/gpu/make-jre.sh,
#      builds the JNI library and runs the Java parity checks of CudaGradientKernels too.
# Writes RESULTS_DIR/kernels-gpu.md, kernels-gpu.json, gpu-check.log and SUMMARY.
# Exit status: 0 everything passed; 1 a check failed; 2 a build step failed; 3 no CUDA device.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
[ $# -ge 1 ] || { echo "usage: bash bench/gpu-check.sh RESULTS_DIR [--quick]" >&2; exit 2; }
mkdir -p "$1" || { echo "gpu-check: cannot create $1" >&2; exit 2; }
results="$(cd "$1" && pwd)"
quick="${2:-}"
build="$results/build"
mkdir -p "$build"
exec > >(tee -a "$results/gpu-check.log") 2>&1
started=$(date +%s)

step() { echo; echo "== gpu-check: $* ($(( $(date +%s) - started )) s)"; }
finish() {
  local code=$1 message=$2
  echo
  echo "gpu-check: $message (exit $code, $(( $(date +%s) - started )) s)"
  printf '%s\nexit=%s\n' "$message" "$code" > "$results/SUMMARY"
  exit "$code"
}

step "environment"
echo "root: $root"
echo "results: $results"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader || echo "nvidia-smi failed"
else
  echo "nvidia-smi: not on PATH"
fi
if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="$PATH:/usr/local/cuda/bin"
fi
command -v nvcc >/dev/null || finish 2 "FAILED: nvcc not on PATH (nor in /usr/local/cuda/bin)"
nvcc --version | tail -2

# SASS for the GPU present (compute capability from nvidia-smi) plus PTX for compute_75, which any newer
# GPU can JIT-compile; without nvidia-smi, sm_90 (H100/H200).
cap="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d ' .')"
case "$cap" in ''|*[!0-9]*) cap=90 ;; esac
echo "building for sm_$cap (+ PTX compute_75)"

step "build the harness with nvcc"
cuda_src="$root/gpu-kernels/src/main/cuda"
timeout 300 nvcc -O3 -std=c++17 -fmad=false \
  -gencode "arch=compute_$cap,code=sm_$cap" -gencode arch=compute_75,code=compute_75 \
  -I"$cuda_src" "$here/gpu/tk_check.cu" "$here/gpu/tk_check_edges.cu" "$here/gpu/tk_timing.cu" "$here/gpu/tk_report.cu" "$cuda_src/tk_context.cu" "$cuda_src/tk_elementwise.cu" "$cuda_src/tk_quantise.cu" "$cuda_src/tk_sparse.cu" \
  -o "$build/tk_check" || finish 2 "FAILED: nvcc could not build the harness"
echo "built $build/tk_check"

step "kernels vs reference vectors, then timing"
timeout 240 "$build/tk_check" "$root/gpu-kernels/src/test/resources/reference" "$results" $quick
rc=$?
case $rc in
  0) echo "harness: all checks passed" ;;
  3) finish 3 "FAILED: no CUDA device" ;;
  124) finish 1 "FAILED: the harness ran past 240 s" ;;
  *) echo "harness: FAILED (exit $rc)" ;;
esac

jre=""
for candidate in "$here/jre" "$root/jre"; do
  [ -x "$candidate/bin/java" ] && jre="$candidate" && break
done
if [ -n "$jre" ]; then
  step "Java parity checks with $jre"
  jar="$jre/tributary/parity.jar"
  if [ ! -f "$jar" ]; then
    echo "java parity: $jar missing (make the runtime with bench/gpu/make-jre.sh)"
    [ $rc -eq 0 ] && rc=1
  elif JAVA_HOME="$jre" TK_ARCHS="$cap" timeout 300 "$cuda_src/build.sh" "$build/native"; then
    timeout 120 "$jre/bin/java" -Dtributary.kernels.library="$build/native/libtributary_kernels.so" \
      -cp "$jar" io.tributary.kernels.CudaParityMain
    jrc=$?
    [ $jrc -eq 0 ] || { echo "java parity: FAILED (exit $jrc)"; [ $rc -eq 0 ] && rc=1; }
  else
    echo "java parity: FAILED to build the JNI library"
    [ $rc -eq 0 ] && rc=2
  fi
else
  step "Java parity checks skipped: no bench/jre/ (see bench/gpu/make-jre.sh)"
fi

[ -f "$results/kernels-gpu.md" ] && { echo; cat "$results/kernels-gpu.md"; }
[ $rc -eq 0 ] && finish 0 "PASSED: all kernels match the CPU reference" || finish "$rc" "FAILED: see $results/gpu-check.log"
