/* Single-thread memcpy bandwidth, the bound for bench/benches/allreduce.
 * usage: memcpy_bw BUDGET_BYTES SIZE_BYTES...   prints "RESULT memcpy 1 SIZE_BYTES SECONDS_PER_COPY". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    long budget = atol(argv[1]);
    for (int a = 2; a < argc; a++)
    {
        long bytes = atol(argv[a]);
        char *src = malloc(bytes), *dst = malloc(bytes);
        memset(src, 1, bytes);
        memset(dst, 0, bytes);
        long n = budget / bytes;
        int iters = n < 5 ? 5 : (n > 1000 ? 1000 : (int)n);
        for (int w = 0; w < 2; w++) memcpy(dst, src, bytes);
        double start = now();
        for (int i = 0; i < iters; i++)
        {
            memcpy(dst, src, bytes);
            __asm__ volatile("" : : "r"(dst) : "memory");
        }
        printf("RESULT memcpy 1 %ld %.9f\n", bytes, (now() - start) / iters);
        free(src);
        free(dst);
    }
    return 0;
}
