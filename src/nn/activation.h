/* activation.h — ReLU clipped at a ceiling (DeepSpeech uses 20).
 *
 * y = min(max(x, 0), ceil). The derivative is 1 on (0, ceil), 0 elsewhere,
 * so both saturations stop the gradient. Operates on N contiguous floats; a
 * padded batch [B][T][C] is passed as N = B*T*C (padding stays padding: an
 * upstream zero maps to zero and its gradient is whatever dout holds there,
 * which the masked loss makes zero).
 */
#ifndef ASR_NN_ACTIVATION_H
#define ASR_NN_ACTIVATION_H

#include "nn/layer.h"

#include <stddef.h>

void clipped_relu_forward(float *out, const float *inp, size_t n, float ceil);
/* dinp += dout * [0 < inp < ceil]  (accumulates). */
void clipped_relu_backward(float *dinp, const float *dout, const float *inp, size_t n, float ceil);

/* The network layer "relu [CEIL]" (CEIL > 0, default 20). */
extern const nn_layer_kind nn_relu_kind;

#endif
