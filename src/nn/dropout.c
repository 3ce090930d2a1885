/* dropout.c — see dropout.h. */
#include "nn/dropout.h"

void dropout_forward(float *out, unsigned char *mask, const float *inp, size_t n, float p,
                     rng_state *r)
{
    float scale = 1.0f / (1.0f - p);
    for (size_t i = 0; i < n; i++) {
        mask[i] = rng_uniform(r) >= p;
        out[i] = mask[i] ? inp[i] * scale : 0.0f;
    }
}

void dropout_backward(float *dinp, const float *dout, const unsigned char *mask, size_t n, float p)
{
    float scale = 1.0f / (1.0f - p);
    for (size_t i = 0; i < n; i++)
        if (mask[i]) dinp[i] += dout[i] * scale;
}
