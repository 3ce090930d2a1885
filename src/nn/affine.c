/* affine.c — y = x W^T + b through cblas_sgemm, see affine.h. */
#include "nn/affine.h"

#include <cblas.h>

void affine_forward(float *out, const float *inp, const float *weight, const float *bias, int N,
                    int C, int OC)
{
    /* out[N][OC] = bias[OC] (broadcast) + inp[N][C] weight[OC][C]^T */
    for (int n = 0; n < N; n++)
        for (int o = 0; o < OC; o++) out[(size_t)n * OC + o] = bias ? bias[o] : 0.0f;
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
