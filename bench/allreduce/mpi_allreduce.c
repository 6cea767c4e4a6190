/* OpenMPI peer for bench/benches/allreduce: in-place MPI_Allreduce of fp32 sums, nccl-tests style timing.
 * usage: mpi_allreduce LABEL SIZE_BYTES...   prints "RESULT LABEL NP SIZE_BYTES SECONDS_PER_OP" on rank 0. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int iterations(long bytes, long budget)
{
    long n = budget / bytes;
    return n < 5 ? 5 : (n > 1000 ? 1000 : (int)n);
}

int main(int argc, char **argv)
{
    int rank, np;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &np);
    if (argc < 4)
    {
        if (rank == 0) fprintf(stderr, "usage: mpi_allreduce LABEL BUDGET_BYTES SIZE_BYTES...\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    long budget = atol(argv[2]);
    for (int a = 3; a < argc; a++)
    {
        long bytes = atol(argv[a]);
        int count = (int)(bytes / sizeof(float));
        float *buf = malloc((size_t)count * sizeof(float));
        if (buf == NULL) MPI_Abort(MPI_COMM_WORLD, 3);
        for (int i = 0; i < count; i++) buf[i] = 1.0f;
        MPI_Allreduce(MPI_IN_PLACE, buf, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        for (int i = 0; i < count; i++)
        {
            if (buf[i] != (float)np) { fprintf(stderr, "rank %d: wrong sum at %d\n", rank, i); MPI_Abort(MPI_COMM_WORLD, 4); }
        }
        for (int i = 0; i < count; i++) buf[i] = 0.0f;
        int iters = iterations(bytes, budget);
        for (int w = 0; w < 2 + iters / 10; w++)
            MPI_Allreduce(MPI_IN_PLACE, buf, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int it = 0; it < iters; it++)
            MPI_Allreduce(MPI_IN_PLACE, buf, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        double elapsed = (MPI_Wtime() - start) / iters, slowest;
        MPI_Reduce(&elapsed, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
        if (rank == 0) { printf("RESULT %s %d %ld %.9f\n", argv[1], np, bytes, slowest); fflush(stdout); }
        free(buf);
    }
    MPI_Finalize();
    return 0;
}
