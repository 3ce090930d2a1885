/* affine.c — y = x W^T + b through cblas_sgemm, see affine.h. */
#include "nn/affine.h"

#include "base/error.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void affine_forward(float *out, const float *inp, const float *weight, const float *bias, int N,
                    int C, int OC)
{
    /* out[N][OC] = bias[OC] (broadcast) + inp[N][C] weight[OC][C]^T */
    for (int n = 0; n < N; n++) {
        if (bias)
            memcpy(out + (size_t)n * OC, bias, (size_t)OC * sizeof(float));
        else
            memset(out + (size_t)n * OC, 0, (size_t)OC * sizeof(float));
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, OC, C, 1.0f, inp, C, weight, C, 1.0f,
                out, OC);
}

void affine_backward(float *dinp, float *dweight, float *dbias, const float *dout, const float *inp,
                     const float *weight, int N, int C, int OC)
{
    /* dinp[N][C] += dout[N][OC] weight[OC][C] */
    if (dinp)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, C, OC, 1.0f, dout, OC, weight, C,
                    1.0f, dinp, C);
    /* dweight[OC][C] += dout[N][OC]^T inp[N][C] */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, N, 1.0f, dout, OC, inp, C, 1.0f,
                dweight, C);
    /* dbias[OC] += sum_n dout[n][OC] */
    if (dbias)
        for (int n = 0; n < N; n++)
            for (int o = 0; o < OC; o++) dbias[o] += dout[(size_t)n * OC + o];
}

/* ---- the network layer ---- */

static int affine_parse(nn_layer *L, int argc, char **argv, int out_dim)
{
    if (argc != 1 || (L->out = nn_arg_width(argv[0], out_dim)) < 1)
        return asr_error("expected 'affine OC' (OC in 1..%d) or 'affine out'", NN_MAX_WIDTH);
    L->arg[0] = L->out;
    L->np = (size_t)L->out * L->in + (size_t)L->out;
    return 0;
}

static void affine_describe(const nn_layer *L, char *buf, size_t cap)
{
    snprintf(buf, cap, " %d", L->out);
}

/* Weights uniform in +-sqrt(6 / fan_in) (He, for ReLU networks), bias 0. */
static void affine_init(const nn_layer *L, float *p, rng_state *r)
{
    double a = sqrt(6.0 / (double)L->in);
    for (size_t j = 0, nw = (size_t)L->in * L->out; j < nw; j++)
        p[j] = (float)(a * (2 * rng_uniform(r) - 1));
}

static double affine_flops(const nn_layer *L, int T)
{
    return 2.0 * T * L->in * L->out;
}

static void affine_layer_forward(const nn_layer *L, const float *p, const nn_pass *ps,
                                 const float *in, float *out)
{
    affine_forward(out, in, p, p + (size_t)L->out * L->in, ps->B * ps->T, L->in, L->out);
}

static void affine_layer_backward(const nn_layer *L, const float *p, float *g, const nn_pass *ps,
                                  const float *in, const float *dout, float *din, void *scratch)
{
    (void)scratch;
    affine_backward(din, g, g + (size_t)L->out * L->in, dout, in, p, ps->B * ps->T, L->in, L->out);
}

const nn_layer_kind nn_affine_kind = {
    "affine",     "OC|out", affine_parse, affine_describe,      affine_init,
    affine_flops, NULL,     NULL,         affine_layer_forward, affine_layer_backward,
};
