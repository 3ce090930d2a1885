/* layernorm.c — see layernorm.h for the math. */
#include "nn/layernorm.h"

#include <math.h>
#include <stddef.h>

void layernorm_forward(float *out, float *mean, float *rstd, const float *inp, const float *gamma,
                       const float *beta, int N, int C)
{
#pragma omp parallel for schedule(static)
    for (int n = 0; n < N; n++) {
        const float *x = inp + (size_t)n * C;
        float *y = out + (size_t)n * C;
        double m = 0, v = 0;
        for (int c = 0; c < C; c++) m += x[c];
        m /= C;
        for (int c = 0; c < C; c++) v += (x[c] - m) * (x[c] - m);
        v /= C;
        float rs = (float)(1.0 / sqrt(v + 1e-5));
        for (int c = 0; c < C; c++) y[c] = gamma[c] * ((x[c] - (float)m) * rs) + beta[c];
        mean[n] = (float)m;
        rstd[n] = rs;
    }
}

void layernorm_backward(float *dinp, float *dgamma, float *dbeta, const float *dout,
                        const float *inp, const float *gamma, const float *mean, const float *rstd,
                        int N, int C)
{
    for (int n = 0; n < N; n++) {
        const float *x = inp + (size_t)n * C, *dy = dout + (size_t)n * C;
        float *dx = dinp + (size_t)n * C;
        double s1 = 0, s2 = 0;
        for (int c = 0; c < C; c++) {
            float xhat = (x[c] - mean[n]) * rstd[n];
            float dxhat = dy[c] * gamma[c];
            s1 += dxhat;
            s2 += dxhat * xhat;
            dgamma[c] += dy[c] * xhat;
            dbeta[c] += dy[c];
        }
        float m1 = (float)(s1 / C), m2 = (float)(s2 / C);
        for (int c = 0; c < C; c++) {
            float xhat = (x[c] - mean[n]) * rstd[n];
            dx[c] += rstd[n] * (dy[c] * gamma[c] - m1 - xhat * m2);
        }
    }
}
