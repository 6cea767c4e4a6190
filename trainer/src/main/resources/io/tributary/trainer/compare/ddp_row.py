#!/usr/bin/env python3
"""The "pytorch-ddp" row of `tributary compare`: one rank of a PyTorch DDP run (gloo, CPU) that trains the same model
on the same data with the same global batch as the Tributary strategies. The Java side starts one process per node
(possibly under `ip netns exec`); this script never spawns processes itself.

  ddp_row.py --rank R --world N --master-addr ADDR --master-port P --model mlp|lenet [--hidden 512,256]
             [--activation relu|tanh|sigmoid|leakyrelu] --data-dir DIR --optimizer sgd|adam --lr LR [--lr-gamma G]
             --batch B --epochs E --seed S --eval-every-steps K [--threads T] --out FILE [--timeout-s 120]

Data: DIR holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
each plain or gzipped (NAME or NAME.gz); pixels become float32 in [0,1]. Classes = max label + 1.
Models: mlp = Linear layers of the --hidden widths (comma list, empty = none) with --activation between them, then
Linear to the classes; lenet = Conv(20,5x5) MaxPool(2) Conv(50,5x5) MaxPool(2) Linear(500) ReLU Linear(classes).
torch.manual_seed(S) precedes the model, so all ranks start identical (DDP also broadcasts rank 0's parameters).
With --world 1 the process group is still formed, but the model is not wrapped in DDP (nothing to average).
Batches: every epoch the training indices are permuted by np.random.default_rng([S, epoch]); each global batch of
B (the last, short one kept) is cut into N contiguous slices whose sizes differ by at most one, the first B mod N
ranks taking the larger ones; rank r trains on slice r. The loss is cross entropy averaged over the rank's slice and
DDP averages the gradients over ranks, so where slice sizes differ the step is slightly off the exact mean over the
global batch (a rank with an empty slice contributes a zero gradient). The lr is multiplied by G after every epoch.
Evaluation: every K global steps (K=0: never) and at every epoch end, rank 0 measures test accuracy on its replica
(batches of 1000) while the others wait at a barrier; train_seconds counts training steps only.
Output: rank 0 writes FILE (via FILE.tmp and os.replace) as one JSON object: strategy, world, model, batch, epochs,
steps, samples, train_seconds, samples_per_sec, test_accuracy (the last one measured), accuracy_curve
([{step, epoch (fractional), train_seconds, accuracy}]), bytes_per_step (4 * parameters: the fp32 gradient
allreduce), torch, blas (BLAS_INFO of torch.__config__.show()), threads.
Gloo: unless GLOO_SOCKET_IFNAME is set, the interface that routes to ADDR is used (so it works inside a netns).
Exit: 0 done; 2 bad arguments or "ddp_row.py: PATH is missing" (a data file); 1 any other failure (one line).
--max-steps M (not in --help; for smoke tests) stops after M global steps, then evaluates once more.
"""
import argparse
import datetime
import fcntl
import gzip
import json
import os
import socket
import struct
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn

ME = "ddp_row.py"
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "leakyrelu": nn.LeakyReLU}


def widths(text):
    try:
        out = [int(w) for w in text.split(",") if w.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected a comma list of layer widths, got %r" % text)
    if any(w < 1 for w in out):
        raise argparse.ArgumentTypeError("layer widths must be positive: %r" % text)
    return out


def parse_args():
    p = argparse.ArgumentParser(prog=ME, description="One rank of the pytorch-ddp row of tributary compare.")
    p.add_argument("--rank", type=int, required=True)
    p.add_argument("--world", type=int, required=True)
    p.add_argument("--master-addr", required=True)
    p.add_argument("--master-port", type=int, required=True)
    p.add_argument("--model", choices=["mlp", "lenet"], required=True)
    p.add_argument("--hidden", type=widths, default=[512, 256], help="mlp hidden widths, e.g. 512,256 ('' = none)")
    p.add_argument("--activation", choices=sorted(ACTIVATIONS), default="relu")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--optimizer", choices=["sgd", "adam"], required=True)
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--lr-gamma", type=float, default=1.0)
    p.add_argument("--batch", type=int, required=True, help="global batch")
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--eval-every-steps", type=int, required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout-s", type=float, default=120.0)
    p.add_argument("--max-steps", type=int, default=0, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.world < 1 or not 0 <= a.rank < a.world:
        p.error("need --world >= 1 and 0 <= --rank < --world")
    if not 0 < a.master_port < 65536:
        p.error("--master-port must be in 1..65535")
    for name in ("batch", "threads"):
        if getattr(a, name) < 1:
            p.error("--%s must be >= 1" % name)
    if a.epochs < 1:
        p.error("--epochs must be >= 1")
    for name in ("seed", "eval_every_steps", "max_steps"):
        if getattr(a, name) < 0:
            p.error("--%s must be >= 0" % name.replace("_", "-"))
    if a.lr <= 0 or a.timeout_s <= 0:
        p.error("--lr and --timeout-s must be > 0")
    return a


def read_idx(data_dir, name):
    """An IDX file of unsigned bytes as a numpy array; NAME or NAME.gz, told apart by the gzip magic."""
    path = os.path.join(data_dir, name)
    if not os.path.exists(path):
        if not os.path.exists(path + ".gz"):
            print("%s: %s is missing" % (ME, path), file=sys.stderr)
            sys.exit(2)
        path += ".gz"
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[:2] != b"\0\0" or raw[2] != 0x08:
        raise ValueError("%s is not an IDX file of unsigned bytes" % path)
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir):
    names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    x, y, tx, ty = (read_idx(data_dir, n) for n in names)
    pixels = lambda a: torch.from_numpy(a.reshape(len(a), -1).astype(np.float32) / 255.0)  # flat rows
    labels = lambda a: torch.from_numpy(a.astype(np.int64))
    return pixels(x), labels(y), pixels(tx), labels(ty), x.shape[1:]


def build(args, image_shape, classes):
    if args.model == "mlp":
        layers, width = [], int(np.prod(image_shape))
        for h in args.hidden:
            layers += [nn.Linear(width, h), ACTIVATIONS[args.activation]()]
            width = h
        return nn.Sequential(*layers, nn.Linear(width, classes))
    if len(image_shape) != 2:
        raise ValueError("lenet needs 2-d images, got shape %s" % (image_shape,))
    h, w = (((d - 4) // 2 - 4) // 2 for d in image_shape)  # two 5x5 valid convolutions, two 2x2 pools
    return nn.Sequential(nn.Unflatten(1, (1,) + tuple(image_shape)),
                         nn.Conv2d(1, 20, 5), nn.MaxPool2d(2, 2), nn.Conv2d(20, 50, 5), nn.MaxPool2d(2, 2),
                         nn.Flatten(), nn.Linear(50 * h * w, 500), nn.ReLU(), nn.Linear(500, classes))


def blas():
    for item in torch.__config__.show().replace("\n", ",").split(","):
        if "BLAS_INFO=" in item:
            return item[item.index("BLAS_INFO="):].strip()
    return "BLAS_INFO=unknown"


def use_interface_towards(addr, port):
    """Point gloo at the IPv4 interface that routes to the master (gloo's default resolves the hostname, which inside
    a network namespace may name an address that is not there). Leaves gloo's default on any failure."""
    if "GLOO_SOCKET_IFNAME" in os.environ:
        return
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect((addr, port))  # UDP: no packet is sent, only the route is chosen
            local = s.getsockname()[0]
            for _, name in socket.if_nameindex():
                try:  # SIOCGIFADDR: the interface's primary IPv4 address
                    got = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name.encode()[:15]))
                except OSError:
                    continue
                if socket.inet_ntoa(got[20:24]) == local:
                    os.environ["GLOO_SOCKET_IFNAME"] = name
                    return
    except OSError:
        pass


def train(args, x, y, tx, ty, image_shape):
    classes = int(max(y.max(), ty.max())) + 1
    torch.manual_seed(args.seed)
    net = build(args, image_shape, classes)
    parameters = sum(p.numel() for p in net.parameters())
    # World 1 keeps the process group (barriers) but not the wrapper: DDP's allreduce onto itself only costs time.
    ddp = nn.parallel.DistributedDataParallel(net) if args.world > 1 else net
    opt = (torch.optim.Adam if args.optimizer == "adam" else torch.optim.SGD)(net.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=args.lr_gamma)
    loss_fn = nn.CrossEntropyLoss()
    n, batch, world, rank = len(x), args.batch, args.world, args.rank
    per_epoch = (n + batch - 1) // batch
    total = per_epoch * args.epochs if not args.max_steps else min(args.max_steps, per_epoch * args.epochs)
    curve, state = [], {"step": 0, "seconds": 0.0, "samples": 0}

    def evaluate():
        if rank == 0:
            net.eval()
            with torch.no_grad():
                correct = sum((net(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item()
                              for i in range(0, len(tx), 1000))
            net.train()
            curve.append({"step": state["step"], "epoch": state["step"] / per_epoch,
                          "train_seconds": state["seconds"], "accuracy": correct / len(tx)})
        dist.barrier()  # the others wait here, outside the clock

    dist.barrier()
    for epoch in range(args.epochs):
        order = torch.from_numpy(np.random.default_rng([args.seed, epoch]).permutation(n))
        for s in range(per_epoch):
            if state["step"] >= total:
                break
            t0 = time.perf_counter()
            rows = order[s * batch:(s + 1) * batch]
            base, extra = divmod(len(rows), world)
            start, size = rank * base + min(rank, extra), base + (rank < extra)
            mine = rows[start:start + size]
            opt.zero_grad(set_to_none=True)
            out = ddp(x[mine])
            loss = loss_fn(out, y[mine]) if size else out.sum() * 0.0  # an empty slice: zero gradient
            loss.backward()  # DDP's allreduce of the gradients completes inside backward
            opt.step()
            state["seconds"] += time.perf_counter() - t0
            state["step"] += 1
            state["samples"] += len(rows)
            done = s + 1 == per_epoch or state["step"] == total
            if args.eval_every_steps and state["step"] % args.eval_every_steps == 0 and not done:
                evaluate()
        evaluate()  # at the epoch end (or where --max-steps stopped)
        schedule.step()
        if state["step"] >= total:
            break
    seconds = state["seconds"]
    return {"strategy": "pytorch-ddp", "world": world, "model": args.model, "batch": batch, "epochs": args.epochs,
            "steps": state["step"], "samples": state["samples"], "train_seconds": seconds,
            "samples_per_sec": state["samples"] / seconds if seconds > 0 else 0.0,
            "test_accuracy": curve[-1]["accuracy"] if curve else None, "accuracy_curve": curve,
            "bytes_per_step": 4 * parameters, "torch": torch.__version__, "blas": blas(), "threads": args.threads}


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    initialised = False
    try:
        data = load(args.data_dir)  # a missing file exits 2 here, before any rendezvous
        use_interface_towards(args.master_addr, args.master_port)
        dist.init_process_group("gloo", init_method="tcp://%s:%d" % (args.master_addr, args.master_port),
                                rank=args.rank, world_size=args.world,
                                timeout=datetime.timedelta(seconds=args.timeout_s))
        initialised = True
        result = train(args, *data)
        if args.rank == 0:
            with open(args.out + ".tmp", "w") as f:
                json.dump(result, f, indent=1)
                f.write("\n")
            os.replace(args.out + ".tmp", args.out)
        return 0
    except Exception as e:
        print(("%s: %s: %s" % (ME, type(e).__name__, e)).replace("\n", " "), file=sys.stderr)
        return 1
    finally:
        if initialised:
            dist.destroy_process_group()


if __name__ == "__main__":
    sys.exit(main())
