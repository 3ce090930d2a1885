/* network.h — a stack of layers over time, described by text.
 *
 * The description is one layer per line (or ';'-separated), for example
 *   conv 256 5 2 1      OC K STRIDE DILATION (conv1d.h)
 *   relu 20             clipped ReLU with its ceiling (activation.h)
 *   layernorm           (layernorm.h)
 *   dropout 0.1         (dropout.h; the identity when not training)
 *   gru 256             a GRU of N units over time, forward (gru.h)
 *   bigru 256           forward and backward GRUs of N/2 units, concatenated (gru.h)
 *   affine out          OC, or "out" for the output symbol count (affine.h)
 * Input is [B][T][in_dim] features, output [B][To][out_dim] logits, To the
 * input length divided by the product of the conv strides (rounded up).
 *
 * Residual connections: a line ending in "residual" (e.g. "conv 256 3 1 2
 * residual") makes that layer output = input + layer(input). It needs the
 * layer's output to have the shape of its input (as many channels, stride
 * 1); the description is refused otherwise. Its gradient is the layer's
 * plus the identity's: d in += d out.
 *
 * What a kind of layer is (parse, parameters, forward, backward, ...) is
 * layer.h; network.c holds the table of kinds and the rest.
 *
 * All parameters live in one float arena (and all gradients in another of
 * the same size): layer i's parameters are arena[layers[i].w ..
 * layers[i].w + layers[i].np), laid out by its kind (weights, then biases),
 * so the optimizer, checkpoints and gradient checks are one loop over one
 * buffer.
 */
#ifndef ASR_NN_NETWORK_H
#define ASR_NN_NETWORK_H

#include "nn/layer.h"
#include "base/rng.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    nn_layer *layers;
    int n;
    int in_dim, out_dim;
    size_t num_params;
    int subsampling; /* product of the conv strides */
} network;

/* Parse DESC for IN_DIM inputs and OUT_DIM outputs; -1 with a message naming
 * the line on a bad description (the last layer must produce OUT_DIM). */
int network_build(network *net, const char *desc, int in_dim, int out_dim);

/* The layer kinds and their arguments, for help: "conv OC K STRIDE
 * DILATION, affine OC|out, ..." into BUF. */
void network_kinds(char *buf, size_t cap);

/* The canonical description (what a model file stores); a new string. */
char *network_describe(const network *net);

/* DST: SRC with every dropout probability 0 (its own layer table, freed by
 * network_free): the same parameter layout, and a training-mode pass over it
 * is deterministic, for gradients of a fixed network (speaker adaptation). */
void network_copy_without_dropout(const network *src, network *dst);

void network_free(network *net);

/* Initialise PARAMS from SEED, each layer as its kind says (conv, affine:
 * weights uniform in +-sqrt(6 / fan_in), He, for ReLU networks; biases and
 * betas 0, gammas 1; GRU: gru.h). */
void network_init(const network *net, float *params, uint64_t seed);

int network_out_len(const network *net, int T);

/* Multiply-adds x2 of one forward pass over T input frames (backward is
 * twice this). */
double network_flops(const network *net, int T);

/* Transfer learning.
 *
 * The arena holds the layers' parameters in layer order, so the layers
 * before LAYER own exactly params[0 .. network_param_offset(net, LAYER)):
 * freezing them is training only the arena's tail. */
size_t network_param_offset(const network *net, int layer);

/* Index of the last layer with parameters (the output layer), -1 if none. */
int network_last_param_layer(const network *net);

/* Copy into DST_PARAMS the parameters of every layer of SRC whose
 * counterpart at the same index in DST has the same kind and shape (the
 * same input and output widths and integer arguments: conv: channels,
 * kernel, stride, dilation; affine: in and out; layer norm: width; gru:
 * units). COPIED[i] (DST->n entries, may be NULL) is set to 1 for layers
 * copied, 0 for layers left as they were (no parameters, or a different
 * shape: e.g. an output layer over another symbol set). Returns the number
 * of layers with parameters copied. */
int network_copy_matching(const network *dst, float *dst_params, const network *src,
                          const float *src_params, int *copied);

/* Activations and scratch of one batch; grows as needed, reused. */
typedef struct {
    float **act; /* act[i] = input of layer i; act[n] = output */
    int *T;      /* padded frames at each boundary */
    int **lens;  /* valid frames per utterance at each boundary */
    void **aux;  /* each layer's kept state (layer.h: conv im2col, dropout mask, ...) */
    size_t *act_cap, *aux_cap;
    float *d0, *d1;
    void *scratch; /* backward's scratch, shared by the layers */
    size_t d_cap, scratch_cap;
    int B, lens_cap;
    int train;
    int frozen; /* layers [0, frozen) are not trained: backward stops above them */
    /* Inference (train = 0): two ping-pong activation buffers and one scratch. */
    float *inf[2];
    void *inf_aux;
    size_t inf_cap[2], inf_aux_cap;
} network_work;

void network_work_init(network_work *w, const network *net);
void network_work_free(network_work *w, const network *net);

/* Forward the padded batch X[B][T][in_dim] (utterance b has LENS[b] frames).
 * TRAIN enables dropout with generator R and keeps what network_backward
 * needs; without it only two activation buffers are used (inference), and
 * backward must not follow. Returns the logits [B][*TO][out_dim] (valid
 * until the next forward); OUT_LENS[b] receives each utterance's output
 * frames. */
const float *network_forward(const network *net, const float *params, network_work *w,
                             const float *x, const int *lens, int B, int T, int train, rng_state *r,
                             int *To, int *out_lens);

/* Backward of the last forward: DLOGITS [B][To][out_dim] (zero on frames
 * beyond each utterance's end) accumulates into GRADS. When DINPUT is not
 * NULL it receives d loss / d x (overwritten), for gradient checks; it
 * needs w->frozen == 0. With w->frozen = k the pass stops after layer k: no
 * gradient reaches the parameters (or the inputs) of layers [0, k), and none
 * of their work is done. */
void network_backward(const network *net, const float *params, float *grads, network_work *w,
                      const float *dlogits, float *dinput);

#endif
