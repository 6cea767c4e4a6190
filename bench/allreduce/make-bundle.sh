#!/usr/bin/env bash
# Makes bench/bundle/: what bench/run allreduce needs on a host without Java or Maven (a lent GPU host): a jlink'ed
# runtime (java.base, jdk.unsupported, java.management), the transport and bench jars with Aeron, Agrona, HdrHistogram and
# Jackson, gloo_allreduce.py, and run.sh, its one command. Well under the 64 MiB a device call carries.
#   bench/allreduce/make-bundle.sh     (needs a JDK 17 and a built bench jar: mvn -q -DskipTests package)
#   then, on the host:  bench/bundle/run.sh [--np 2,4,8] [--sizes 16777216,67108864]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/bundle"
jar="$root/bench/target/tributary-bench.jar"
[ -f "$jar" ] || { echo "make-bundle.sh: $jar missing; run mvn -q -DskipTests package first" >&2; exit 2; }
javac_path="$(readlink -f "$(command -v javac)")"
jdk="$(dirname "$(dirname "$javac_path")")"
rm -rf "$out"
mkdir -p "$out/lib"
"$jdk/bin/jlink" --add-modules java.base,jdk.unsupported,java.management --strip-debug --no-man-pages \
  --no-header-files --compress=2 --output "$out/jre"
cp "$jar" "$out/lib/"
for pattern in tributary-transport aeron-client aeron-driver agrona HdrHistogram jackson-core jackson-databind jackson-annotations; do
  found=("$root"/bench/target/lib/"$pattern"-[0-9]*.jar)
  [ -f "${found[0]}" ] || { echo "make-bundle.sh: no $pattern jar in bench/target/lib" >&2; exit 2; }
  cp "${found[@]}" "$out/lib/"
done
cp "$here/gloo_allreduce.py" "$out/"
cp "$here/bundle-run.sh" "$out/run.sh"
chmod +x "$out/run.sh"
echo "make-bundle.sh: wrote $out ($(du -sh "$out" | cut -f1)); run it there as bench/bundle/run.sh"
