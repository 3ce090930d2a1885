/* dropout.h — inverted dropout.
 *
 * Training: each of N values is kept with probability 1 - p (p rounded to
 * a multiple of 2^-16: each unit's draw is 16 bits) and scaled by
 * 1/(1 - p), so the expected activation is unchanged and inference is the
 * identity. The keep mask (N bytes) is drawn from the caller's generator, so
 * a run is reproducible from its seed; backward reuses it:
 *   dinp += dout * mask / (1 - p).
 */
#ifndef ASR_NN_DROPOUT_H
#define ASR_NN_DROPOUT_H

#include "base/rng.h"
#include "nn/layer.h"

#include <stddef.h>

void dropout_forward(float *out, unsigned char *mask, const float *inp, size_t n, float p,
                     rng_state *r);
void dropout_backward(float *dinp, const float *dout, const unsigned char *mask, size_t n, float p);

/* The network layer "dropout [P]" (P in [0, 1), default 0.1): the mask is
 * its AUX; the identity in inference. */
extern const nn_layer_kind nn_dropout_kind;

#endif
