#!/usr/bin/env python3
"""Breaks a JFR recording of `tributary train` into where the step's threads spend their time.

Reads `jfr print` of the execution and native method samples, keeps those of the training loop (main, which is
replica 0's thread, and tributary-device-N), and gives each sample the first category whose pattern matches a
frame of its stack (the specific callers first), else a category by its top frame. JFR samples a thread in native code (BLAS, libnd4j ops) only as
a native method sample, and a thread in Java only as an execution sample: both are counted, as equal shares of
the thread's time. Also sums GC pauses and the sampled allocation by allocating frame.
usage: jfr_breakdown.py RECORDING.jfr [--json OUT.json]
"""
import json
import re
import subprocess
import sys
from collections import Counter

# (category, frame pattern): a sample goes to the first category with a pattern that matches any frame of its
# stack, so the specific callers (evaluation, the updater) come before what they call (gemm).
CATEGORIES = [
    ("evaluation", r"countCorrect|ChunkedEvaluation|TestEvaluation"),
    ("updater: DL4J Adam op", r"learning\.AdamUpdater\.applyUpdater"),
    ("updater: divide by batch, block bookkeeping", r"UpdaterBlock|BaseMultiLayerUpdater"),
    ("parameter step (params.subi)", r"MultiLayerModel\.applyUpdate|GraphModel\.applyUpdate"),
    ("node gradient sum (ours)", r"KernelsSum|NodeGradientSum|LeaderScheme\.reduce|ShardedScheme\.reduce"),
    ("batch copy into features/labels (ours)", r"DeviceReplica\.load|copyRows"),
    ("checksum (ours)", r"ParameterChecksum"),
    ("gemm (matrix products)", r"\.gemm\(|mmul|BaseLevel3"),
    ("activations and loss", r"activations\.impl|lossfunctions\.impl"),
]
# For the rest, the top frame decides.
TOP_CATEGORIES = [
    ("waiting for the other replica (ours)", r"LockSupport|Unsafe\.park|onSpinWait|Thread\.yield|ReplicaThreads"),
    ("other DL4J layer code (dup, reshape, views, workspaces)", r"org\.deeplearning4j"),
    ("other ND4J dispatch (op setup, JNI, array creation)", r"org\.nd4j|org\.bytedeco"),
]
# Samples of the training loop only: not the data loading, model building or the final save.
TRAINING = r"Trainer\.trainEpoch|ReplicaThreads\.workLoop"


def jfr_events(recording, events):
    text = subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", events, recording],
                          capture_output=True, text=True, check=True).stdout
    return re.split(r"^jdk\.", text, flags=re.M)[1:]


def frames_of(block):
    return re.findall(r"^\s+([\w.$<>]+\(.*?\))\s+line:", block, re.M)


def step_samples(recording):
    for block in jfr_events(recording, "jdk.ExecutionSample,jdk.NativeMethodSample"):
        thread = re.search(r'sampledThread = "([^"]*)"', block)
        frames = frames_of(block)
        if thread and frames and any(re.search(TRAINING, frame) for frame in frames):
            yield frames


def categorise(frames):
    for name, pattern in CATEGORIES:
        if any(re.search(pattern, frame) for frame in frames):
            return name
    for name, pattern in TOP_CATEGORIES:
        if re.search(pattern, frames[0]):
            return name
    return "other: " + frames[0]


def gc_pauses(recording):
    total_ms, count = 0.0, 0
    for block in jfr_events(recording, "jdk.GCPhasePause"):
        duration = re.search(r"duration = ([\d.]+) (ms|s|us)", block)
        if duration:
            scale = {"ms": 1.0, "s": 1000.0, "us": 0.001}[duration.group(2)]
            total_ms += float(duration.group(1)) * scale
            count += 1
    return total_ms, count


def allocations(recording):
    by_frame = Counter()
    for block in jfr_events(recording, "jdk.ObjectAllocationSample"):
        weight = re.search(r"weight = ([\d.]+) (bytes|kB|MB|GB)", block)
        frames = frames_of(block)
        if weight and frames:
            scale = {"bytes": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}[weight.group(2)]
            frame = next((f for f in frames if "io.tributary" in f or "deeplearning4j" in f), frames[0])
            by_frame[frame] += float(weight.group(1)) * scale
    return by_frame


def main():
    recording = sys.argv[1]
    counts = Counter(categorise(frames) for frames in step_samples(recording))
    total = sum(counts.values())
    rows = [{"category": name, "samples": n, "share": n / total} for name, n in counts.most_common()]
    print(f"{total} samples of the step's threads")
    for row in rows[:16]:
        print(f"{100.0 * row['share']:5.1f}%  {row['samples']:6d}  {row['category']}")
    pause_ms, pauses = gc_pauses(recording)
    print(f"GC: {pauses} pauses, {pause_ms:.0f} ms in all")
    allocated = allocations(recording)
    print(f"sampled allocation: {sum(allocated.values()) / 2 ** 20:.0f} MiB; largest allocating frames:")
    for frame, size in allocated.most_common(6):
        print(f"  {size / 2 ** 20:8.1f} MiB  {frame}")
    if "--json" in sys.argv:
        with open(sys.argv[sys.argv.index("--json") + 1], "w") as out:
            json.dump({"samples": total, "categories": rows, "gc_pause_ms": pause_ms, "gc_pauses": pauses,
                       "allocated_mib": sum(allocated.values()) / 2 ** 20,
                       "allocating_frames": [{"frame": f, "mib": s / 2 ** 20} for f, s in allocated.most_common(10)]},
                      out, indent=1)


if __name__ == "__main__":
    main()
