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

double optim_step(optimizer *o, float *params, float *grads, float lr)
{
    const optim_config *c = &o->c;
    size_t n = o->n;
    if (c->weight_decay > 0)
        for (size_t i = 0; i < n; i++) grads[i] += c->weight_decay * params[i];
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (double)grads[i] * grads[i];
    double norm = sqrt(ss);
    if (!isfinite(norm)) return norm;
    float scale = c->clip > 0 && norm > c->clip ? (float)(c->clip / norm) : 1.0f;
    o->step++;
    float *m = o->m, *v = o->v;
    switch (c->kind) {
    case OPTIM_SGD:
        for (size_t i = 0; i < n; i++) params[i] -= lr * scale * grads[i];
        break;
    case OPTIM_MOMENTUM:
        for (size_t i = 0; i < n; i++) {
            m[i] = c->momentum * m[i] + scale * grads[i];
            params[i] -= lr * m[i];
        }
        break;
    case OPTIM_RMSPROP:
        for (size_t i = 0; i < n; i++) {
            float g = scale * grads[i];
            v[i] = c->momentum * v[i] + (1 - c->momentum) * g * g;
            params[i] -= lr * g / (sqrtf(v[i]) + c->eps);
        }
        break;
    case OPTIM_ADAM: {
        float bc1 = 1.0f - powf(c->beta1, (float)o->step);
        float bc2 = 1.0f - powf(c->beta2, (float)o->step);
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
