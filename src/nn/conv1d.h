/* conv1d.h — 1-D convolution over time (a TDNN layer), unfolded to GEMM.
 *
 * A padded batch inp[B][T][C] (utterance b has lens[b] valid frames; frames at
 * and beyond lens[b] are treated as zeros) maps to out[B][To][OC] with
 *   To = ceil(T / stride),
 *   out[b][t][o] = bias[o] + sum_{k<K} sum_{c<C} W[o][k*C + c] * x[b][s(t,k)][c]
 *   s(t,k) = t*stride + (k - (K-1)/2) * dilation        (centred "same" taps)
 * with x = 0 outside 0 <= s < lens[b]. Output frame t of utterance b is valid
 * when t < ceil(lens[b] / stride); invalid output frames are set to zero.
 *
 * The taps of every output frame are gathered into col[B*To][K*C] ("im2col")
 * so the layer is one cblas_sgemm: 2*B*To*K*C*OC FLOPs forward, twice that
 * backward. COL is caller-provided scratch of B*To*K*C floats, and backward
 * expects it to still hold what forward wrote.
 */
#ifndef ASR_NN_CONV1D_H
#define ASR_NN_CONV1D_H

#include "nn/layer.h"

#include <stddef.h>

typedef struct {
    int C, OC, K, stride, dilation;
} conv1d_shape;

/* Output frames for T input frames. */
int conv1d_out_len(const conv1d_shape *s, int T);

void conv1d_forward(float *out, float *col, const float *inp, const float *weight,
                    const float *bias, const int *lens, int B, int T, const conv1d_shape *s);

/* Accumulates: dweight += dout^T col, dbias += sum dout, and (when DINP is
 * not NULL) dinp += fold(dout W). DCOL is scratch like COL. DOUT must be zero
 * on invalid output frames. */
void conv1d_backward(float *dinp, float *dweight, float *dbias, float *dcol, const float *dout,
                     const float *col, const float *weight, const int *lens, int B, int T,
                     const conv1d_shape *s);

/* The network layer "conv OC K STRIDE DILATION" (OC may be "out"). AUX is
 * COL, backward's scratch DCOL. */
extern const nn_layer_kind nn_conv_kind;

#endif
