/* conv1d.c — time convolution by im2col + cblas_sgemm; see conv1d.h. */
#include "nn/conv1d.h"

#include "base/error.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int conv1d_out_len(const conv1d_shape *s, int T)
{
    return (T + s->stride - 1) / s->stride;
}

/* Input frame of tap k of output frame t, or -1 when it falls outside the
 * utterance's valid frames. */
static int tap(const conv1d_shape *s, int t, int k, int len)
{
    int src = t * s->stride + (k - (s->K - 1) / 2) * s->dilation;
    return src >= 0 && src < len ? src : -1;
}

void conv1d_forward(float *out, float *col, const float *inp, const float *weight,
                    const float *bias, const int *lens, int B, int T, const conv1d_shape *s)
{
    int To = conv1d_out_len(s, T), KC = s->K * s->C;
    /* col[b*To + t][k*C + c] = x[b][tap(t,k)][c] */
#pragma omp parallel for schedule(static)
    for (int b = 0; b < B; b++)
        for (int t = 0; t < To; t++) {
            float *row = col + ((size_t)b * To + t) * KC;
            for (int k = 0; k < s->K; k++) {
                int src = tap(s, t, k, lens[b]);
                if (src < 0)
                    memset(row + k * s->C, 0, (size_t)s->C * sizeof(float));
                else
                    memcpy(row + k * s->C, inp + ((size_t)b * T + src) * s->C,
                           (size_t)s->C * sizeof(float));
            }
        }
    size_t N = (size_t)B * To;
    for (size_t n = 0; n < N; n++) memcpy(out + n * s->OC, bias, (size_t)s->OC * sizeof(float));
    /* out[N][OC] += col[N][KC] W[OC][KC]^T */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N, s->OC, KC, 1.0f, col, KC, weight,
                KC, 1.0f, out, s->OC);
    for (int b = 0; b < B; b++) {
        int valid = conv1d_out_len(s, lens[b]);
        if (valid < To)
            memset(out + ((size_t)b * To + valid) * s->OC, 0,
                   (size_t)(To - valid) * s->OC * sizeof(float));
    }
}

void conv1d_backward(float *dinp, float *dweight, float *dbias, float *dcol, const float *dout,
                     const float *col, const float *weight, const int *lens, int B, int T,
                     const conv1d_shape *s)
{
    int To = conv1d_out_len(s, T), KC = s->K * s->C;
    int N = B * To;
    /* dweight[OC][KC] += dout[N][OC]^T col[N][KC] */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, s->OC, KC, N, 1.0f, dout, s->OC, col, KC,
                1.0f, dweight, KC);
    for (int n = 0; n < N; n++)
        for (int o = 0; o < s->OC; o++) dbias[o] += dout[(size_t)n * s->OC + o];
    if (!dinp) return;
    /* dcol[N][KC] = dout[N][OC] W[OC][KC], then scatter-add each tap back
     * to the input frame it was gathered from (the transpose of im2col). */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, KC, s->OC, 1.0f, dout, s->OC, weight,
                KC, 0.0f, dcol, KC);
    /* Parallel over utterances: taps of one utterance only touch its frames. */
#pragma omp parallel for schedule(static)
    for (int b = 0; b < B; b++)
        for (int t = 0; t < To; t++) {
            const float *row = dcol + ((size_t)b * To + t) * KC;
            for (int k = 0; k < s->K; k++) {
                int src = tap(s, t, k, lens[b]);
                if (src < 0) continue;
                float *d = dinp + ((size_t)b * T + src) * s->C;
                const float *g = row + k * s->C;
                for (int c = 0; c < s->C; c++) d[c] += g[c];
            }
        }
}

/* ---- the network layer ---- */

static conv1d_shape layer_shape(const nn_layer *L)
{
    return (conv1d_shape){L->in, L->arg[0], L->arg[1], L->arg[2], L->arg[3]};
}

static int conv_parse(nn_layer *L, int argc, char **argv, int out_dim)
{
    static const long hi[3] = {NN_MAX_KERNEL, NN_MAX_STRIDE, NN_MAX_DILATION};
    int ok = argc == 4 && (L->arg[0] = nn_arg_width(argv[0], out_dim)) > 0;
    for (int i = 1; ok && i < 4; i++) ok = (L->arg[i] = nn_arg_int(argv[i], hi[i - 1])) > 0;
    if (!ok)
        return asr_error("expected 'conv OC K STRIDE DILATION' with OC in 1..%d (or out), K in "
                         "1..%d, STRIDE in 1..%d, DILATION in 1..%d",
                         NN_MAX_WIDTH, NN_MAX_KERNEL, NN_MAX_STRIDE, NN_MAX_DILATION);
    L->out = L->arg[0];
    L->stride = L->arg[2];
    L->np = (size_t)L->out * L->arg[1] * L->in + (size_t)L->out;
    return 0;
}

static void conv_describe(const nn_layer *L, char *buf, size_t cap)
{
    snprintf(buf, cap, " %d %d %d %d", L->arg[0], L->arg[1], L->arg[2], L->arg[3]);
}

/* Weights uniform in +-sqrt(6 / fan_in) (He, for ReLU networks), bias 0. */
static void conv_init(const nn_layer *L, float *p, rng_state *r)
{
    size_t fan_in = (size_t)L->in * L->arg[1], nw = fan_in * L->out;
    double a = sqrt(6.0 / (double)fan_in);
    for (size_t j = 0; j < nw; j++) p[j] = (float)(a * (2 * rng_uniform(r) - 1));
}

static double conv_flops(const nn_layer *L, int T)
{
    conv1d_shape s = layer_shape(L);
    return 2.0 * conv1d_out_len(&s, T) * s.K * s.C * s.OC;
}

static size_t conv_col_bytes(const nn_layer *L, int B, int T)
{
    conv1d_shape s = layer_shape(L);
    return (size_t)B * conv1d_out_len(&s, T) * s.K * s.C * sizeof(float);
}

static size_t conv_aux_bytes(const nn_layer *L, int B, int T, int train)
{
    (void)train;
    return conv_col_bytes(L, B, T);
}

static void conv_forward(const nn_layer *L, const float *p, const nn_pass *ps, const float *in,
                         float *out)
{
    conv1d_shape s = layer_shape(L);
    size_t nw = (size_t)s.OC * s.K * s.C;
    conv1d_forward(out, ps->aux, in, p, p + nw, ps->lens, ps->B, ps->T, &s);
}

static void conv_backward(const nn_layer *L, const float *p, float *g, const nn_pass *ps,
                          const float *in, const float *dout, float *din, void *scratch)
{
    (void)in;
    conv1d_shape s = layer_shape(L);
    size_t nw = (size_t)s.OC * s.K * s.C;
    conv1d_backward(din, g, g + nw, scratch, dout, ps->aux, p, ps->lens, ps->B, ps->T, &s);
}

const nn_layer_kind nn_conv_kind = {
    "conv",     "OC K STRIDE DILATION", conv_parse,     conv_describe, conv_init,
    conv_flops, conv_aux_bytes,         conv_col_bytes, conv_forward,  conv_backward,
};
