#!/usr/bin/env bash
# Makes bench/jre/: a jlink'ed Java runtime (java.base only, ~35 MiB, with the JNI headers build.sh needs)
# plus tributary/parity.jar (the kernels and the JDK-only parity checks), so that bench/gpu-check.sh can
# also run the Java parity checks of CudaGradientKernels on a GPU machine that has no Java.
#   bench/gpu/make-jre.sh          (needs a JDK 17 here; carry bench/jre/ with the repository)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/jre"
javac_path="$(readlink -f "$(command -v javac)")"
jdk="$(dirname "$(dirname "$javac_path")")"
rm -rf "$out"
"$jdk/bin/jlink" --add-modules java.base --strip-debug --no-man-pages --compress=2 --output "$out"
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
test_src="$root/gpu-kernels/src/test/java/io/tributary/kernels"
"$jdk/bin/javac" --release 17 --add-modules jdk.incubator.vector -d "$classes" $(find "$root/gpu-kernels/src/main/java" -name '*.java') \
  "$test_src/ParityChecks.java" "$test_src/ReferenceData.java" "$test_src/Buffers.java" "$test_src/CudaParityMain.java"
mkdir -p "$out/tributary"
"$jdk/bin/jar" --create --file "$out/tributary/parity.jar" -C "$classes" .
echo "make-jre.sh: wrote $out ($(du -sh "$out" | cut -f1)); bench/gpu-check.sh runs the Java parity checks with it"
