/* conv1d.c — time convolution by im2col + cblas_sgemm; see conv1d.h. */
#include "nn/conv1d.h"

#include <cblas.h>
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
