/* affine.h — fully connected layer over rows: y = x W^T + b.
 *
 * inp [N][C], weight [OC][C] (row-major, one output unit per row), bias [OC],
 * out [N][OC], with N = B*T for a padded batch. All the work is one
 * cblas_sgemm forward and two in backward (2*N*C*OC FLOPs each).
 * Padding rows produce b in the output; callers mask them in the loss, so
 * their dout is zero and they contribute nothing to dweight/dbias.
 */
#ifndef ASR_NN_AFFINE_H
#define ASR_NN_AFFINE_H

#include "nn/layer.h"

void affine_forward(float *out, const float *inp, const float *weight, const float *bias, int N,
                    int C, int OC);
/* Accumulates: dinp += dout W, dweight += dout^T inp, dbias += sum_n dout.
 * Any of dinp / dbias may be NULL to skip it. */
void affine_backward(float *dinp, float *dweight, float *dbias, const float *dout, const float *inp,
                     const float *weight, int N, int C, int OC);

/* The network layer "affine OC" (OC may be "out"): weight, then bias. */
extern const nn_layer_kind nn_affine_kind;

#endif
