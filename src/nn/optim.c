/* optim.c — SGD, momentum, RMSprop, Adam; the update rules are in optim.h. */
#include "nn/optim.h"

#include "base/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"sgd", "momentum", "rmsprop", "adam"};

void optim_config_default(optim_config *c)
{
    c->kind = OPTIM_ADAM;
    c->lr = 1e-3f;
    c->momentum = 0.9f;
    c->beta1 = 0.9f;
    c->beta2 = 0.999f;
    c->eps = 1e-8f;
    c->weight_decay = 0;
    c->clip = 5;
    c->warmup = 0;
    c->decay = 1;
}

int optim_kind_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, kind_names[i])) return i;
    return -1;
}

const char *optim_kind_name(optim_kind k)
{
    return kind_names[k];
}

void optim_init(optimizer *o, const optim_config *c, size_t n)
{
    o->c = *c;
    o->n = n;
    o->m = xcalloc(n ? n : 1, sizeof(float));
    o->v = xcalloc(n ? n : 1, sizeof(float));
    o->step = 0;
}

void optim_free(optimizer *o)
{
    free(o->m);
    free(o->v);
    o->m = o->v = NULL;
}

float optim_lr(const optim_config *c, long step, int epoch)
{
    float lr = c->lr * powf(c->decay, (float)epoch);
    if (c->warmup > 0 && step < c->warmup) lr *= (float)(step + 1) / (float)c->warmup;
    return lr;
}

/* Every loop below is elementwise but the norm's sum; from this many
 * elements on, they run on every thread. */
enum { PARALLEL_MIN = 1 << 15 };

size_t optim_blocks(size_t n)
{
    return (n + OPTIM_BLOCK - 1) / OPTIM_BLOCK;
}

/* The blocks are summed on any number of threads, the block sums always in
 * the same order (optim_norm), so the norm (and the clipping that follows
 * it) depends neither on the thread count nor on the ranks (nn/trainer.h). */
void optim_prepare(const optimizer *o, const float *params, float *grads, size_t lo, size_t hi,
                   double *part)
{
    const optim_config *c = &o->c;
    if (c->weight_decay > 0)
#pragma omp parallel for simd schedule(static) if (hi - lo >= PARALLEL_MIN)
        for (size_t i = lo; i < hi; i++) grads[i] += c->weight_decay * params[i];
    long k0 = (long)(lo / OPTIM_BLOCK), k1 = (long)optim_blocks(hi);
#pragma omp parallel for schedule(static) if (hi - lo >= PARALLEL_MIN)
    for (long k = k0; k < k1; k++) {
        size_t a = (size_t)k * OPTIM_BLOCK, b = a + OPTIM_BLOCK < hi ? a + OPTIM_BLOCK : hi;
        double s = 0;
        for (size_t i = a; i < b; i++) s += (double)grads[i] * grads[i];
        part[k] = s;
    }
}

double optim_norm(const double *part, size_t nblocks)
{
    double ss = 0;
    for (size_t k = 0; k < nblocks; k++) ss += part[k];
    return sqrt(ss);
}

void optim_update(optimizer *o, float *params, const float *grads, float lr, double norm, size_t lo,
                  size_t hi)
{
    const optim_config *c = &o->c;
    float scale = c->clip > 0 && norm > c->clip ? (float)(c->clip / norm) : 1.0f;
    o->step++;
    float *m = o->m, *v = o->v;
    switch (c->kind) {
    case OPTIM_SGD:
#pragma omp parallel for simd schedule(static) if (hi - lo >= PARALLEL_MIN)
        for (size_t i = lo; i < hi; i++) params[i] -= lr * scale * grads[i];
        break;
    case OPTIM_MOMENTUM:
#pragma omp parallel for simd schedule(static) if (hi - lo >= PARALLEL_MIN)
        for (size_t i = lo; i < hi; i++) {
            m[i] = c->momentum * m[i] + scale * grads[i];
            params[i] -= lr * m[i];
        }
        break;
    case OPTIM_RMSPROP:
#pragma omp parallel for simd schedule(static) if (hi - lo >= PARALLEL_MIN)
        for (size_t i = lo; i < hi; i++) {
            float g = scale * grads[i];
            v[i] = c->momentum * v[i] + (1 - c->momentum) * g * g;
            params[i] -= lr * g / (sqrtf(v[i]) + c->eps);
        }
        break;
    case OPTIM_ADAM: {
        float bc1 = 1.0f - powf(c->beta1, (float)o->step);
        float bc2 = 1.0f - powf(c->beta2, (float)o->step);
#pragma omp parallel for simd schedule(static) if (hi - lo >= PARALLEL_MIN)
        for (size_t i = lo; i < hi; i++) {
            float g = scale * grads[i];
            m[i] = c->beta1 * m[i] + (1 - c->beta1) * g;
            v[i] = c->beta2 * v[i] + (1 - c->beta2) * g * g;
            params[i] -= lr * (m[i] / bc1) / (sqrtf(v[i] / bc2) + c->eps);
        }
        break;
    }
    }
}

double optim_step(optimizer *o, float *params, float *grads, float lr)
{
    size_t nb = optim_blocks(o->n);
    double *part = xmalloc((nb + 1) * sizeof(double));
    optim_prepare(o, params, grads, 0, o->n, part);
    double norm = optim_norm(part, nb);
    free(part);
    if (isfinite(norm)) optim_update(o, params, grads, lr, norm, 0, o->n);
    return norm;
}
