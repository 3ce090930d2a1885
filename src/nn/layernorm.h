/* layernorm.h — layer normalisation over the channels of each frame.
 *
 * For each of N rows x[C]:  m = mean(x), v = mean((x - m)^2),
 *   xhat = (x - m) / sqrt(v + 1e-5),   y = gamma * xhat + beta.
 * Forward saves mean and rstd = 1/sqrt(v + eps) per row (N floats each) for
 * backward:
 *   dxhat = dy * gamma
 *   dx    = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
 * Rows of padding are normalised like any other; the masked loss gives them
 * zero dout, so they contribute nothing.
 */
#ifndef ASR_NN_LAYERNORM_H
#define ASR_NN_LAYERNORM_H

#include "nn/layer.h"

void layernorm_forward(float *out, float *mean, float *rstd, const float *inp, const float *gamma,
                       const float *beta, int N, int C);

/* Accumulates into dinp (unless NULL), dgamma, dbeta. */
void layernorm_backward(float *dinp, float *dgamma, float *dbeta, const float *dout,
                        const float *inp, const float *gamma, const float *mean, const float *rstd,
                        int N, int C);

/* The network layer "layernorm": gamma (initially 1), then beta; AUX holds
 * mean and rstd. */
extern const nn_layer_kind nn_layernorm_kind;

#endif
