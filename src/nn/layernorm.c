/* layernorm.c — see layernorm.h for the math. */
#include "nn/layernorm.h"

#include "base/alloc.h"
#include "base/error.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Per-row sums in float with SIMD reductions: C is a few hundred, the
 * two-pass variance keeps cancellation harmless, and the loops vectorise
 * (double accumulators would not). */
void layernorm_forward(float *out, float *mean, float *rstd, const float *inp, const float *gamma,
                       const float *beta, int N, int C)
{
#pragma omp parallel for schedule(static)
    for (int n = 0; n < N; n++) {
        const float *x = inp + (size_t)n * C;
        float *y = out + (size_t)n * C;
        float m = 0, v = 0;
#pragma omp simd reduction(+ : m)
        for (int c = 0; c < C; c++) m += x[c];
        m /= C;
#pragma omp simd reduction(+ : v)
        for (int c = 0; c < C; c++) v += (x[c] - m) * (x[c] - m);
        v /= C;
        float rs = 1.0f / sqrtf(v + 1e-5f);
#pragma omp simd
        for (int c = 0; c < C; c++) y[c] = gamma[c] * ((x[c] - m) * rs) + beta[c];
        mean[n] = m;
        rstd[n] = rs;
    }
}

/* Rows are independent except for dgamma and dbeta, which sum over rows:
 * each thread sums its static block of rows into a private partial, and the
 * partials are added in thread order afterwards, so the result is the same
 * on every run with the same thread count (resume stays bit-exact). Called
 * inside a parallel region (the trainer's shards), it is one thread. */
void layernorm_backward(float *dinp, float *dgamma, float *dbeta, const float *dout,
                        const float *inp, const float *gamma, const float *mean, const float *rstd,
                        int N, int C)
{
    int nt = 1;
#ifdef _OPENMP
    if (N >= 64 && !omp_in_parallel()) nt = omp_get_max_threads();
#endif
    float *part = xcalloc((size_t)nt * 2 * C, sizeof(float));
#pragma omp parallel num_threads(nt)
    {
        int id = 0;
#ifdef _OPENMP
        id = omp_get_thread_num();
#endif
        float *pg = part + (size_t)id * 2 * C, *pb = pg + C;
#pragma omp for schedule(static)
        for (int n = 0; n < N; n++) {
            const float *x = inp + (size_t)n * C, *dy = dout + (size_t)n * C;
            const float mu = mean[n], rs = rstd[n];
            float s1 = 0, s2 = 0;
#pragma omp simd reduction(+ : s1, s2)
            for (int c = 0; c < C; c++) {
                float xhat = (x[c] - mu) * rs;
                float dxhat = dy[c] * gamma[c];
                s1 += dxhat;
                s2 += dxhat * xhat;
                pg[c] += dy[c] * xhat;
                pb[c] += dy[c];
            }
            float m1 = s1 / C, m2 = s2 / C;
            if (!dinp) continue;
            float *dx = dinp + (size_t)n * C;
#pragma omp simd
            for (int c = 0; c < C; c++) {
                float xhat = (x[c] - mu) * rs;
                dx[c] += rs * (dy[c] * gamma[c] - m1 - xhat * m2);
            }
        }
    }
    for (int t = 0; t < nt; t++)
        for (int c = 0; c < C; c++) {
            dgamma[c] += part[(size_t)t * 2 * C + c];
            dbeta[c] += part[(size_t)t * 2 * C + C + c];
        }
    free(part);
}

/* ---- the network layer ---- */

static int layernorm_parse(nn_layer *L, int argc, char **argv, int out_dim)
{
    (void)argv, (void)out_dim;
    if (argc != 0) return asr_error("layernorm takes no arguments");
    L->out = L->in;
    L->np = 2 * (size_t)L->in;
    return 0;
}

static void layernorm_describe(const nn_layer *L, char *buf, size_t cap)
{
    (void)L;
    if (cap) *buf = 0;
}

static void layernorm_init(const nn_layer *L, float *p, rng_state *r)
{
    (void)r;
    for (int c = 0; c < L->in; c++) p[c] = 1.0f;
}

static size_t layernorm_aux_bytes(const nn_layer *L, int B, int T, int train)
{
    (void)L, (void)train;
    return 2 * (size_t)B * T * sizeof(float);
}

static void layernorm_layer_forward(const nn_layer *L, const float *p, const nn_pass *ps,
                                    const float *in, float *out)
{
    int N = ps->B * ps->T;
    float *mean = ps->aux;
    layernorm_forward(out, mean, mean + N, in, p, p + L->in, N, L->in);
}

static void layernorm_layer_backward(const nn_layer *L, const float *p, float *g, const nn_pass *ps,
                                     const float *in, const float *dout, float *din, void *scratch)
{
    (void)scratch;
    int N = ps->B * ps->T;
    const float *mean = ps->aux;
    layernorm_backward(din, g, g + L->in, dout, in, p, mean, mean + N, N, L->in);
}

const nn_layer_kind nn_layernorm_kind = {
    "layernorm",
    "",
    layernorm_parse,
    layernorm_describe,
    layernorm_init,
    NULL,
    layernorm_aux_bytes,
    NULL,
    layernorm_layer_forward,
    layernorm_layer_backward,
};
