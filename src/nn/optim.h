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

#endif
