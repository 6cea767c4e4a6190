# Sourced by ./tributary and bench/run before a JVM starts. OpenBLAS 0.3.19, which ND4J 1.0.0-M2.1 bundles, takes
# some AVX-512 CPUs for a Prescott and runs its SSE3 kernels (this project's 2-core Xeon: the Fashion MLP trained
# 2.5x slower, bench/RESULTS.md). Name the kernels the CPU can run, unless OPENBLAS_CORETYPE is set already
# or TRIBUTARY_OPENBLAS_CORETYPE is 0 (OpenBLAS's own detection, for comparisons).
tributary_openblas_coretype() {
  local flags
  flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null) "
  local has_all=1 flag
  for flag in avx512f avx512bw avx512dq avx512vl avx512cd; do
    case "$flags" in *" $flag "*) ;; *) has_all=0 ;; esac
  done
  if [ "$has_all" = 1 ]; then
    echo SkylakeX
  else
    case "$flags" in *" avx2 "*) case "$flags" in *" fma "*) echo Haswell ;; esac ;; esac
  fi
}

if [ -z "${OPENBLAS_CORETYPE+set}" ] && [ "${TRIBUTARY_OPENBLAS_CORETYPE:-1}" != 0 ]; then
  tributary_coretype="$(tributary_openblas_coretype)"
  if [ -n "$tributary_coretype" ]; then
    export OPENBLAS_CORETYPE="$tributary_coretype"
  fi
  unset tributary_coretype
fi
