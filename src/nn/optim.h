/* optim.h — optimizers over one parameter arena.
 *
 * One step, for every parameter i with gradient g (the mean over the batch):
 *   g += weight_decay * w                      (L2 regularisation)
 *   g *= min(1, clip / ||g||_2)                (global norm clipping; 0 = off)
 *   sgd:      w -= lr g
 *   momentum: m = mu m + g;  w -= lr m
 *   rmsprop:  v = rho v + (1 - rho) g^2;  w -= lr g / (sqrt(v) + eps)
 *   adam:     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *             w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * The learning rate ramps linearly over the first warmup steps (step s,
 * 0-based, gets (s + 1) / warmup of it), then is multiplied by decay after
 * every epoch (optim_lr).
 */
#ifndef ASR_NN_OPTIM_H
#define ASR_NN_OPTIM_H

#include <stddef.h>

typedef enum { OPTIM_SGD, OPTIM_MOMENTUM, OPTIM_RMSPROP, OPTIM_ADAM } optim_kind;

typedef struct {
    optim_kind kind;
    float lr;
    float momentum;     /* mu (momentum), rho (rmsprop) */
    float beta1, beta2; /* adam */
    float eps;
    float weight_decay;
    float clip;  /* max global gradient norm, 0 = no clipping */
    int warmup;  /* steps */
    float decay; /* per-epoch multiplier */
} optim_config;

/* adam, lr 1e-3, b1 0.9, b2 0.999, eps 1e-8, mu 0.9, no decay, clip 5, 0 warm-up, decay 1. */
void optim_config_default(optim_config *c);

/* "sgd", "momentum", "rmsprop", "adam"; -1 when unknown. */
int optim_kind_parse(const char *name);
const char *optim_kind_name(optim_kind k);

typedef struct {
    optim_config c;
    size_t n;
    float *m, *v; /* state (n floats each; unused ones stay zero) */
    long step;    /* steps taken */
} optimizer;

void optim_init(optimizer *o, const optim_config *c, size_t n);
void optim_free(optimizer *o);

/* Learning rate of step STEP (0-based) in epoch EPOCH (0-based). */
float optim_lr(const optim_config *c, long step, int epoch);

/* One update of PARAMS from GRADS (modified: the weight decay term is added
 * in place; clipping scales the update, not GRADS). Returns the gradient norm
 * before clipping; NaN/Inf propagate, and then nothing is updated, so the
 * caller can stop. */
double optim_step(optimizer *o, float *params, float *grads, float lr);

/* optim_step in parts, for an update split across MPI ranks (nn/trainer.c),
 * each rank updating a slice [LO, HI) that starts on a block boundary. The
 * norm is the sum, in block order, of the sums of squares of fixed blocks
 * of OPTIM_BLOCK elements: a rank sums its blocks, the block sums are
 * exchanged, and every rank gets the norm optim_step gets, whatever the
 * slices. optim_step is optim_prepare, optim_norm and optim_update over
 * [0, n). */
#define OPTIM_BLOCK 4096

/* Blocks of N elements (the last one may be short). */
size_t optim_blocks(size_t n);

/* Weight decay into GRADS[LO, HI), and the sums of squares of its blocks
 * into PART[LO / OPTIM_BLOCK .. optim_blocks(HI)). */
void optim_prepare(const optimizer *o, const float *params, float *grads, size_t lo, size_t hi,
                   double *part);

/* The gradient norm from the block sums PART[0..NBLOCKS). */
double optim_norm(const double *part, size_t nblocks);

/* One step over PARAMS[LO, HI) (and the optimizer state there) with the
 * gradient norm NORM (finite). Every rank calls it once per step, so the
 * step count, and the bias correction, agree. */
void optim_update(optimizer *o, float *params, const float *grads, float lr, double norm, size_t lo,
                  size_t hi);

#endif
