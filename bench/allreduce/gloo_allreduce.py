#!/usr/bin/env python3
"""The gloo column of bench/run allreduce: PyTorch's torch.distributed all_reduce (gloo backend, fp32 sum, CPU
tensors, one thread per process, TCP on loopback) at each size, NP processes on this machine. Like mpi_allreduce.c:
each size is first checked for an exact sum (ones summed to NP), then warmed up, then timed for about BUDGET bytes
of payload (at least 5 and at most 1000 operations); rank 0 prints the slowest rank's seconds per operation:

  RESULT gloo NP SIZE_BYTES SECONDS_PER_OP

  gloo_allreduce.py NP BUDGET_BYTES SIZE_BYTES...   (needs /usr/bin/python3 with python3-torch)
"""
import os
import socket
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def iterations(size, budget):
    return max(5, min(1000, budget // size))


def rank_main(rank, np_, port, budget, sizes):
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:%d" % port, rank=rank, world_size=np_)
    try:
        for size in sizes:
            buf = torch.ones(size // 4, dtype=torch.float32)
            dist.all_reduce(buf)
            if not bool((buf == float(np_)).all()):
                sys.exit("gloo_allreduce.py: rank %d: wrong sum at %d bytes" % (rank, size))
            buf.zero_()
            iters = iterations(size, budget)
            for _ in range(2 + iters // 10):
                dist.all_reduce(buf)
            dist.barrier()
            start = time.perf_counter()
            for _ in range(iters):
                dist.all_reduce(buf)
            elapsed = torch.tensor([(time.perf_counter() - start) / iters], dtype=torch.float64)
            dist.all_reduce(elapsed, op=dist.ReduceOp.MAX)
            if rank == 0:
                print("RESULT gloo %d %d %.9f" % (np_, size, elapsed.item()), flush=True)
    finally:
        dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    if len(sys.argv) < 4 or not all(a.isdigit() for a in sys.argv[1:]) or int(sys.argv[1]) < 2:
        sys.exit("usage: gloo_allreduce.py NP BUDGET_BYTES SIZE_BYTES... (NP >= 2)")
    np_, budget = int(sys.argv[1]), int(sys.argv[2])
    sizes = [int(a) for a in sys.argv[3:]]
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    mp.start_processes(rank_main, args=(np_, free_port(), budget, sizes), nprocs=np_, join=True, start_method="spawn")


if __name__ == "__main__":
    main()
