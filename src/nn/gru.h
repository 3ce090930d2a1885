/* gru.h — gated recurrent units over time (Cho et al. 2014, in PyTorch's
 * form), one direction at a time, with backpropagation through time.
 *
 * One direction of H units over a padded batch inp[B][T][C] (utterance b
 * has lens[b] valid frames), for each frame t in the direction's order:
 *   gx = W_ih x_t + b_ih            gh = W_hh h_prev + b_hh     (3H each: r, z, n)
 *   r = sigmoid(gx_r + gh_r)        z = sigmoid(gx_z + gh_z)
 *   n = tanh(gx_n + r * gh_n)
 *   h_t = (1 - z) * n + z * h_prev, h_prev = 0 before the first frame.
 * The forward direction runs t = 0 .. lens[b] - 1; the reverse one runs
 * t = lens[b] - 1 .. 0, starting at each utterance's own last frame. Padding
 * frames are never read, and their outputs are 0.
 *
 * Parameters of one direction, in order (PyTorch's layout and gate order):
 * W_ih [3H][C], W_hh [3H][H], b_ih [3H], b_hh [3H].
 *
 * Work: the input projection of every frame is one cblas_sgemm (2*B*T*3H*C
 * FLOPs); each step is one cblas_sgemm over the recurrent states of a group
 * of up to 16 utterances (2*16*3H*H; the groups fixed, run in parallel when
 * decoding) and one fused pass over the gates. Backward: one GEMM per step for the
 * state gradient; the weight gradients of all steps are one GEMM each, and
 * d inp one more. So 2*T*3H*(C + H) FLOPs per utterance forward, twice that
 * backward.
 *
 * Backward: with dh the gradient reaching h_t (from the output and from the
 * next step),
 *   dn' = dh (1 - z) (1 - n^2)        (n' = the tanh's argument)
 *   dz' = dh (h_prev - n) z (1 - z)
 *   dr' = dn' gh_n r (1 - r)
 *   d gx = (dr', dz', dn'),  d gh = (dr', dz', dn' r),
 *   dh_prev = dh z + W_hh^T d gh.
 *
 * The network layers (the kinds of layer.h):
 *   gru N     one forward GRU of N units;
 *   bigru N   a forward and a reverse GRU of N/2 units each (N even), their
 *             outputs concatenated (forward first) to N channels, so that
 *             N is the layer's width like every other layer's.
 * A bidirectional layer needs the whole utterance; `asr stream` re-runs the
 * network over the whole utterance at every partial result, so it serves
 * bigru models as they are (each partial sees the audio so far).
 * Parameters start uniform in +-1/sqrt(H) (PyTorch's initialisation).
 */
#ifndef ASR_NN_GRU_H
#define ASR_NN_GRU_H

#include "nn/layer.h"

#include <stddef.h>

typedef struct {
    int C, H;    /* inputs and units */
    int reverse; /* 1: from each utterance's last frame to its first */
} gru_shape;

/* Parameters of one direction. */
size_t gru_params(int C, int H);

/* Floats of AUX for a forward pass; with TRAIN, what backward needs. */
size_t gru_aux_floats(int B, int T, int H, int train);

/* Floats of backward's scratch. */
size_t gru_scratch_floats(int B, int T, int H);

/* out[b][t][0..H) (rows LDO floats apart) of the direction S from inp and
 * the parameters P; 0 on frames beyond lens[b]. AUX: gru_aux_floats. */
void gru_forward(float *out, int ldo, float *aux, const float *inp, const float *p, const int *lens,
                 int B, int T, const gru_shape *s, int train);

/* After a training forward with the same AUX: accumulate d loss / d
 * parameters into DP and (unless DINP is NULL) d loss / d inp into DINP,
 * from DOUT (rows LDO floats apart, zero beyond each utterance's end). */
void gru_backward(float *dinp, float *dp, const float *dout, int ldo, const float *aux,
                  const float *inp, const float *p, const int *lens, int B, int T,
                  const gru_shape *s, float *scratch);

/* The network layers "gru N" and "bigru N". */
extern const nn_layer_kind nn_gru_kind, nn_bigru_kind;

#endif
