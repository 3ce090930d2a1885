/* dropout.c — see dropout.h. */
#include "nn/dropout.h"

#include "base/error.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void dropout_forward(float *out, unsigned char *mask, const float *inp, size_t n, float p,
                     rng_state *r)
{
    float scale = 1.0f / (1.0f - p);
    /* Keep a unit when a 16-bit draw is at least p * 2^16: one 64-bit draw
     * decides four units (a draw a unit cost 3% of a training step). */
    uint32_t drop = (uint32_t)(p * 65536.0f + 0.5f);
    for (size_t i = 0; i < n; i += 4) {
        uint64_t u = rng_u64(r);
        for (size_t k = i; k < i + 4 && k < n; k++, u >>= 16) {
            mask[k] = (u & 0xFFFF) >= drop;
            out[k] = mask[k] ? inp[k] * scale : 0.0f;
        }
    }
}

void dropout_backward(float *dinp, const float *dout, const unsigned char *mask, size_t n, float p)
{
    float scale = 1.0f / (1.0f - p);
    for (size_t i = 0; i < n; i++)
        if (mask[i]) dinp[i] += dout[i] * scale;
}

/* ---- the network layer ---- */

static int dropout_parse(nn_layer *L, int argc, char **argv, int out_dim)
{
    (void)out_dim;
    L->out = L->in;
    L->farg = 0.1f;
    if (argc == 1 && nn_arg_float(argv[0], &L->farg) < 0) return -1;
    if (argc > 1 || !(L->farg >= 0 && L->farg < 1))
        return asr_error("expected 'dropout [P]' with P in [0, 1) (default 0.1)");
    return 0;
}

static void dropout_describe(const nn_layer *L, char *buf, size_t cap)
{
    snprintf(buf, cap, " %.9g", L->farg);
}

static size_t dropout_aux_bytes(const nn_layer *L, int B, int T, int train)
{
    return train && L->farg > 0 ? (size_t)B * T * L->in : 0;
}

static void dropout_layer_forward(const nn_layer *L, const float *p, const nn_pass *ps,
                                  const float *in, float *out)
{
    (void)p;
    size_t n = (size_t)ps->B * ps->T * L->in;
    if (ps->train && L->farg > 0)
        dropout_forward(out, ps->aux, in, n, L->farg, ps->r);
    else
        memcpy(out, in, n * sizeof(float));
}

static void dropout_layer_backward(const nn_layer *L, const float *p, float *g, const nn_pass *ps,
                                   const float *in, const float *dout, float *din, void *scratch)
{
    (void)p, (void)g, (void)in, (void)scratch;
    size_t n = (size_t)ps->B * ps->T * L->in;
    if (!din) return;
    if (L->farg > 0)
        dropout_backward(din, dout, ps->aux, n, L->farg);
    else
        for (size_t i = 0; i < n; i++) din[i] += dout[i];
}

const nn_layer_kind nn_dropout_kind = {
    "dropout",         "[P]", dropout_parse,         dropout_describe,       NULL, NULL,
    dropout_aux_bytes, NULL,  dropout_layer_forward, dropout_layer_backward,
};
