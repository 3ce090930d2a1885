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
enum { PARALLEL_MIN = 1 << 15, NORM_BLOCK = 4096 };

/* ||G||^2 as the sum, in block order, of the sums of fixed blocks of
 * NORM_BLOCK elements: the blocks are summed on any number of threads, the
 * block sums always in the same order, so the norm (and the clipping that
 * follows it) does not depend on the thread count (nn/trainer.h). */
static double sum_squares(const float *g, size_t n)
{
    long nb = (long)((n + NORM_BLOCK - 1) / NORM_BLOCK);
    double *part = xmalloc(((size_t)nb + 1) * sizeof(double)), ss = 0;
#pragma omp parallel for schedule(static) if (n >= PARALLEL_MIN)
    for (long k = 0; k < nb; k++) {
        size_t lo = (size_t)k * NORM_BLOCK, hi = lo + NORM_BLOCK < n ? lo + NORM_BLOCK : n;
        double s = 0;
        for (size_t i = lo; i < hi; i++) s += (double)g[i] * g[i];
        part[k] = s;
    }
    for (long k = 0; k < nb; k++) ss += part[k];
    free(part);
    return ss;
}

double optim_step(optimizer *o, float *params, float *grads, float lr)
{
    const optim_config *c = &o->c;
    size_t n = o->n;
    if (c->weight_decay > 0)
#pragma omp parallel for simd schedule(static) if (n >= PARALLEL_MIN)
        for (size_t i = 0; i < n; i++) grads[i] += c->weight_decay * params[i];
    double norm = sqrt(sum_squares(grads, n));
    if (!isfinite(norm)) return norm;
    float scale = c->clip > 0 && norm > c->clip ? (float)(c->clip / norm) : 1.0f;
    o->step++;
    float *m = o->m, *v = o->v;
    switch (c->kind) {
    case OPTIM_SGD:
#pragma omp parallel for simd schedule(static) if (n >= PARALLEL_MIN)
        for (size_t i = 0; i < n; i++) params[i] -= lr * scale * grads[i];
        break;
    case OPTIM_MOMENTUM:
#pragma omp parallel for simd schedule(static) if (n >= PARALLEL_MIN)
        for (size_t i = 0; i < n; i++) {
            m[i] = c->momentum * m[i] + scale * grads[i];
            params[i] -= lr * m[i];
        }
        break;
    case OPTIM_RMSPROP:
#pragma omp parallel for simd schedule(static) if (n >= PARALLEL_MIN)
        for (size_t i = 0; i < n; i++) {
            float g = scale * grads[i];
            v[i] = c->momentum * v[i] + (1 - c->momentum) * g * g;
            params[i] -= lr * g / (sqrtf(v[i]) + c->eps);
        }
        break;
    case OPTIM_ADAM: {
        float bc1 = 1.0f - powf(c->beta1, (float)o->step);
        float bc2 = 1.0f - powf(c->beta2, (float)o->step);
#pragma omp parallel for simd schedule(static) if (n >= PARALLEL_MIN)
        for (size_t i = 0; i < n; i++) {
            float g = scale * grads[i];
            m[i] = c->beta1 * m[i] + (1 - c->beta1) * g;
            v[i] = c->beta2 * v[i] + (1 - c->beta2) * g * g;
            params[i] -= lr * (m[i] / bc1) / (sqrtf(v[i] / bc2) + c->eps);
        }
        break;
    }
    }
    return norm;
}
