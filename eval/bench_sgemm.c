/* bench_sgemm.c — the reference for eval/bench-train.sh: cblas_sgemm
 * throughput (GFLOP/s) on M x K times K x N, on the given thread count.
 *
 * usage: eval/bench-sgemm M N K THREADS [SECONDS]
 * Prints "sgemm M N K threads T: G GFLOP/s" (best of repeated timed calls
 * over about SECONDS, default 2). */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench-sgemm M N K THREADS [SECONDS]\n");
        return 2;
    }
    int M = atoi(argv[1]), N = atoi(argv[2]), K = atoi(argv[3]), th = atoi(argv[4]);
    double budget = argc > 5 ? atof(argv[5]) : 2.0;
    if (M < 1 || N < 1 || K < 1 || th < 1) {
        fprintf(stderr, "bench-sgemm: sizes and threads must be positive\n");
        return 2;
    }
    openblas_set_num_threads(th);
    float *a = malloc(sizeof(float) * (size_t)M * K), *b = malloc(sizeof(float) * (size_t)K * N);
    float *c = malloc(sizeof(float) * (size_t)M * N);
    for (size_t i = 0; i < (size_t)M * K; i++) a[i] = (float)(i % 7) * 0.1f;
    for (size_t i = 0; i < (size_t)K * N; i++) b[i] = (float)(i % 5) * 0.1f;
    double best = 1e30, start = now();
    int reps = 0;
    while (reps < 3 || now() - start < budget) {
        double t0 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, a, K, b, K, 0.0f, c, N);
        double t = now() - t0;
        if (t < best) best = t;
        reps++;
    }
    printf("sgemm %d %d %d threads %d: %.2f GFLOP/s\n", M, N, K, th, 2.0 * M * N * K / best / 1e9);
    free(a);
    free(b);
    free(c);
    return 0;
}
