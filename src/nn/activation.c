/* activation.c — clipped ReLU, see activation.h. */
#include "nn/activation.h"

void clipped_relu_forward(float *out, const float *inp, size_t n, float ceil)
{
    /* out[n] = min(max(inp[n], 0), ceil) */
    for (size_t i = 0; i < n; i++) {
        float x = inp[i];
        out[i] = x <= 0.0f ? 0.0f : (x >= ceil ? ceil : x);
    }
}

void clipped_relu_backward(float *dinp, const float *dout, const float *inp, size_t n, float ceil)
{
    /* dinp[n] += dout[n] * [0 < inp[n] < ceil] */
    for (size_t i = 0; i < n; i++)
        if (inp[i] > 0.0f && inp[i] < ceil) dinp[i] += dout[i];
}
