#!/usr/bin/env bash
# bench/bundle/run.sh [--np 2,4,8] [--sizes 16777216,67108864] [--budget BYTES]: the allreduce comparison of
# bench/run allreduce without Java or Maven installed (see make-bundle.sh): Tributary over UDP and over IPC, and
# PyTorch gloo when python3 imports torch, at each np, then the table. Writes allreduce.raw and allreduce.json into
# $OUT (a device call's output folder) or the bundle's folder. About 2 minutes on a 16-core host.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
nps="2,4,8"; sizes="16777216,67108864"; budget=$((256 << 20))
while [ $# -gt 0 ]; do
  case "$1" in
    --np) nps="$2"; shift ;;
    --sizes) sizes="$2"; shift ;;
    --budget) budget="$2"; shift ;;
    *) echo "run.sh: unknown argument '$1' (expected --np, --sizes or --budget)" >&2; exit 2 ;;
  esac
  shift
done
out="${OUT:-$here}"
mkdir -p "$out"
raw="$out/allreduce.raw"
: > "$raw"
java=("$here/jre/bin/java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "$here/lib/*")
python=python3
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import torch.distributed' 2>/dev/null && python=/usr/bin/python3
IFS=, read -r -a size_list <<< "$sizes"
echo "host: $(nproc) cores, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" | tee -a "$raw"
for np in ${nps//,/ }; do
  "${java[@]}" io.tributary.bench.allreduce.AllReduceLauncher udp "$np" "$budget" "${size_list[@]}" | tee -a "$raw"
  "${java[@]}" io.tributary.bench.allreduce.AllReduceLauncher ipc "$np" "$budget" "${size_list[@]}" | tee -a "$raw"
  if "$python" -c 'import torch.distributed' 2>/dev/null; then
    OMP_NUM_THREADS=1 "$python" "$here/gloo_allreduce.py" "$np" "$budget" "${size_list[@]}" | tee -a "$raw"
  else
    echo "run.sh: $python cannot import torch.distributed: no gloo column" >&2
  fi
done
BENCH_OUT="$out" "${java[@]}" io.tributary.bench.allreduce.AllReduceReport "$raw"
