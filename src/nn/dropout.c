/* dropout.c — see dropout.h. */
#include "nn/dropout.h"

#include <stdint.h>

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
