#!/usr/bin/env python3
"""The torch-anchor bench's PyTorch side: the Fashion-MNIST MLP of configs/fashion-mlp.yaml (784-512-256-10, ReLU,
softmax cross-entropy, Adam 1e-3, global batch 128), trained on one thread, or data-parallel with DDP over gloo on
loopback, each process taking its slice of every global batch. With --independent the processes exchange nothing
(each trains its own model on its slices): the compute bound of data parallelism on these cores. Reads the IDX files of the Debian package
dataset-fashion-mnist; downloads nothing. Prints one JSON object: samples/s over the training steps (evaluation
excluded), test accuracy, seconds, and the BLAS torch was built against.

  fashion_mlp.py --epochs 5 [--procs 2 [--independent]] [--batch 128] [--seed 42] [--port 29600]
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist"
BATCH = 128


def idx(name):
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        sys.exit("fashion_mlp.py: %s is missing (apt-get install dataset-fashion-mnist)" % path)
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load():
    x = torch.from_numpy(idx("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0)
    y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    tx = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0)
    ty = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    return x, y, tx, ty


def model():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def blas():
    for item in torch.__config__.show().replace("\n", ",").split(","):
        if "BLAS_INFO=" in item:
            return item[item.index("BLAS_INFO="):].strip()
    return "BLAS_INFO=unknown"


def train(rank, procs, epochs, seed, port, out, batch=128, independent=False):
    torch.set_num_threads(1)
    exchange = procs > 1 and not independent
    if exchange:
        os.environ["MASTER_ADDR"] = "127.0.0.1"
        os.environ["MASTER_PORT"] = str(port)
        dist.init_process_group("gloo", rank=rank, world_size=procs)
    x, y, tx, ty = load()
    torch.manual_seed(seed)
    net = model()
    if exchange:
        net = nn.parallel.DistributedDataParallel(net)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    steps = (n + batch - 1) // batch
    seconds = 0.0
    for epoch in range(epochs):
        order = torch.randperm(n, generator=torch.Generator().manual_seed(seed * 1000 + epoch))
        start = time.perf_counter()
        for s in range(steps):
            rows = order[s * batch:(s + 1) * batch]
            share = (len(rows) + procs - 1) // procs
            mine = rows[rank * share:(rank + 1) * share]
            opt.zero_grad(set_to_none=True)
            # Each process's loss is a mean over its slice; DDP averages the gradients over processes.
            loss_fn(net(x[mine]), y[mine]).backward()
            opt.step()
        seconds += time.perf_counter() - start
    with torch.no_grad():
        accuracy = (net(tx).argmax(1) == ty).float().mean().item()
    if rank == 0:
        out.put({"procs": procs, "independent": independent, "batch": batch, "epochs": epochs,
                 "train_seconds": seconds,
                 "samples_per_sec": epochs * n / seconds, "test_accuracy": accuracy, "blas": blas(),
                 "torch": torch.__version__})
    if exchange:
        dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--port", type=int, default=29600)
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument("--independent", action="store_true")
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    out = ctx.SimpleQueue()
    if args.procs == 1:
        train(0, 1, args.epochs, args.seed, args.port, out, args.batch)
    else:
        mp.spawn(train, args=(args.procs, args.epochs, args.seed, args.port, out, args.batch, args.independent),
                 nprocs=args.procs)
    print(json.dumps(out.get()))


if __name__ == "__main__":
    main()
