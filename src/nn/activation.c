/* activation.c — clipped ReLU, see activation.h.
 *
 * Both loops are branch-free (compare-and-select) so the compiler turns them
 * into SIMD, and split over the OpenMP threads when N is large: between two
 * GEMMs these memory-bound passes would otherwise run on one core while the
 * other waits. Every element is independent, so the result does not depend
 * on the thread count. */
#include "nn/activation.h"

#include "base/error.h"

#include <stdio.h>

/* Below this many elements a parallel region costs more than it saves. */
enum { PARALLEL_MIN = 1 << 15 };

void clipped_relu_forward(float *out, const float *inp, size_t n, float ceil)
{
    /* out[n] = min(max(inp[n], 0), ceil) */
#pragma omp parallel for simd schedule(static) if (n >= PARALLEL_MIN)
    for (size_t i = 0; i < n; i++) {
        float x = inp[i];
        x = x > 0.0f ? x : 0.0f;
        out[i] = x < ceil ? x : ceil;
    }
}

void clipped_relu_backward(float *dinp, const float *dout, const float *inp, size_t n, float ceil)
{
    /* dinp[n] += dout[n] * [0 < inp[n] < ceil] */
#pragma omp parallel for simd schedule(static) if (n >= PARALLEL_MIN)
    for (size_t i = 0; i < n; i++) {
        float x = inp[i], g = dout[i]; /* loaded unconditionally: selects, not branches */
        g = x > 0.0f ? g : 0.0f;
        dinp[i] += x < ceil ? g : 0.0f;
    }
}

/* ---- the network layer ---- */

static int relu_parse(nn_layer *L, int argc, char **argv, int out_dim)
{
    (void)out_dim;
    L->out = L->in;
    L->farg = 20.0f;
    if (argc == 1 && nn_arg_float(argv[0], &L->farg) < 0) return -1;
    if (argc > 1 || !(L->farg > 0))
        return asr_error("expected 'relu [CEIL]' with CEIL > 0 (default 20)");
    return 0;
}

static void relu_describe(const nn_layer *L, char *buf, size_t cap)
{
    snprintf(buf, cap, " %.9g", L->farg);
}

static void relu_forward(const nn_layer *L, const float *p, const nn_pass *ps, const float *in,
                         float *out)
{
    (void)p;
    clipped_relu_forward(out, in, (size_t)ps->B * ps->T * L->in, L->farg);
}

static void relu_backward(const nn_layer *L, const float *p, float *g, const nn_pass *ps,
                          const float *in, const float *dout, float *din, void *scratch)
{
    (void)p, (void)g, (void)scratch;
    if (din) clipped_relu_backward(din, dout, in, (size_t)ps->B * ps->T * L->in, L->farg);
}

const nn_layer_kind nn_relu_kind = {
    "relu", "[CEIL]", relu_parse, relu_describe, NULL,
    NULL,   NULL,     NULL,       relu_forward,  relu_backward,
};
