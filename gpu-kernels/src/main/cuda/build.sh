#!/usr/bin/env bash
# Builds libtributary_kernels.so (kernels + JNI bridge, CUDA runtime linked statically) into OUTDIR.
#   gpu-kernels/src/main/cuda/build.sh OUTDIR
# Needs nvcc (CUDA 12 or 13) and a JDK (for jni.h: $JAVA_HOME, else found from javac).
# SASS for sm_75, sm_80, sm_86, sm_90, plus sm_70 (Volta) when this nvcc still lists it (CUDA 12 does, 13 not);
# PTX for the lowest of those, which the driver can JIT for any GPU of that architecture or newer that has
# no SASS here, and for compute_90 (the better PTX for GPUs newer than Hopper). TK_ARCHS="75 80" replaces the SASS list (quicker
# compile checks); the PTX then follows its lowest entry and 90 where listed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out="$1"

command -v nvcc >/dev/null || { echo "build.sh: nvcc not found on PATH" >&2; exit 1; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -f "$JAVA_HOME/include/jni.h" ]; then
  javac_path="$(command -v javac || true)"
  [ -n "$javac_path" ] || { echo "build.sh: no JDK found (set JAVA_HOME to a JDK with include/jni.h)" >&2; exit 1; }
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$javac_path")")")"
fi
[ -f "$JAVA_HOME/include/jni.h" ] || { echo "build.sh: $JAVA_HOME/include/jni.h missing" >&2; exit 1; }

archs="75 80 86 90"
case " $(nvcc --list-gpu-code 2>/dev/null | tr '\n' ' ') " in
  *" sm_70 "*) archs="70 $archs" ;;
esac
archs="${TK_ARCHS:-$archs}"
gencode=()
lowest=""
for arch in $archs; do
  gencode+=(-gencode "arch=compute_${arch},code=sm_${arch}")
  { [ -z "$lowest" ] || [ "$arch" -lt "$lowest" ]; } && lowest="$arch"
done
[ -n "$lowest" ] || { echo "build.sh: TK_ARCHS is empty" >&2; exit 2; }
gencode+=(-gencode "arch=compute_${lowest},code=compute_${lowest}")
case " $archs " in
  *" 90 "*) [ "$lowest" = 90 ] || gencode+=(-gencode arch=compute_90,code=compute_90) ;;
esac
echo "build.sh: SASS for sm_${archs// /, sm_}; PTX for compute_${lowest}$(case " $archs " in *" 90 "*) [ "$lowest" = 90 ] || printf ', compute_90' ;; esac)"

mkdir -p "$out"
# With javac at hand, the JNI header generated from CudaNative.java is included by tk_jni.cpp, so a native
# method whose name or parameter types drift from the bridge fails here, not at its first call on a GPU.
jni_header=()
if [ -x "$JAVA_HOME/bin/javac" ]; then
  gen="$(mktemp -d)"
  trap 'rm -rf "$gen"' EXIT
  "$JAVA_HOME/bin/javac" -h "$gen" -d "$gen" "$here/../java/io/tributary/kernels/CudaNative.java"
  jni_header=(-DTK_JNI_HEADER="\"$gen/io_tributary_kernels_CudaNative.h\"")
fi
# -fmad=false: no contraction of a*b+c into an FMA, so results match the Java definitions bit for bit.
nvcc -O3 -std=c++17 -fmad=false -shared -Xcompiler -fPIC -cudart static "${gencode[@]}" \
  -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" -I"$here" ${jni_header[@]+"${jni_header[@]}"} \
  "$here/tk_context.cu" "$here/tk_elementwise.cu" "$here/tk_quantise.cu" "$here/tk_sparse.cu" "$here/tk_jni.cpp" \
  -o "$out/libtributary_kernels.so"
echo "build.sh: wrote $out/libtributary_kernels.so ($(nvcc --version | tail -1))"
