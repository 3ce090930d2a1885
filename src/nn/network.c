/* network.c — parse, initialise, forward and backward a layer stack; see network.h. */
#include "nn/network.h"

#include "base/alloc.h"
#include "base/error.h"
#include "nn/activation.h"
#include "nn/affine.h"
#include "nn/dropout.h"
#include "nn/layernorm.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LAYERS 64

/* Bounds of a network description (from a configuration, the command line or
 * a model file): far beyond any network this workbench trains, well within
 * what the machine can allocate, so a typo or a hostile model file is an
 * error naming the line rather than an out-of-memory exit. */
#define MAX_WIDTH       16384
#define MAX_KERNEL      64
#define MAX_STRIDE      8
#define MAX_DILATION    64
#define MAX_SUBSAMPLING 64
#define MAX_PARAMS      (1L << 27)

/* A layer argument: a decimal integer in [1, HI], else -1. */
static int arg_in(const char *s, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return end == s || *end || v < 1 || v > hi ? -1 : (int)v;
}

static int parse_layer(nn_layer *L, char *line, int in, int out_dim, int lineno)
{
    char *f[6], *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(line, " \t", &save); tok && n < 6; tok = strtok_r(NULL, " \t", &save))
        f[n++] = tok;
    memset(L, 0, sizeof *L);
    L->in = L->out = in;
    const long hi[4] = {MAX_WIDTH, MAX_KERNEL, MAX_STRIDE, MAX_DILATION};
    int args[4] = {-1, -1, -1, -1};
    for (int i = 1; i < n && i <= 4; i++) {
        args[i - 1] = arg_in(f[i], hi[i - 1]);
        if (i == 1 && !strcmp(f[i], "out")) args[0] = out_dim;
    }
    if (!strcmp(f[0], "conv")) {
        if (n != 5 || args[0] < 1 || args[1] < 1 || args[2] < 1 || args[3] < 1)
            return asr_error("network line %d: expected 'conv OC K STRIDE DILATION' with OC in "
                             "1..%d, K in 1..%d, STRIDE in 1..%d, DILATION in 1..%d",
                             lineno, MAX_WIDTH, MAX_KERNEL, MAX_STRIDE, MAX_DILATION);
        L->kind = NN_CONV;
        L->out = args[0];
        L->conv = (conv1d_shape){in, args[0], args[1], args[2], args[3]};
    } else if (!strcmp(f[0], "affine")) {
        if (n != 2 || args[0] < 1)
            return asr_error("network line %d: expected 'affine OC' (OC in 1..%d) or 'affine out'",
                             lineno, MAX_WIDTH);
        L->kind = NN_AFFINE;
        L->out = args[0];
    } else if (!strcmp(f[0], "relu") || !strcmp(f[0], "dropout")) {
        L->kind = f[0][0] == 'r' ? NN_RELU : NN_DROPOUT;
        L->arg = L->kind == NN_RELU ? 20.0f : 0.1f;
        if (n == 2) {
            char *end;
            L->arg = strtof(f[1], &end);
            if (*end)
                return asr_error("network line %d: '%s' is not a number", lineno, asr_quote(f[1]));
        }
        if (n > 2 || (L->kind == NN_RELU && !(L->arg > 0)) ||
            (L->kind == NN_DROPOUT && !(L->arg >= 0 && L->arg < 1)))
            return asr_error("network line %d: expected 'relu [CEIL>0]' or 'dropout [P in [0,1)]'",
                             lineno);
    } else if (!strcmp(f[0], "layernorm")) {
        if (n != 1) return asr_error("network line %d: layernorm takes no arguments", lineno);
        L->kind = NN_LAYERNORM;
    } else {
        return asr_error("network line %d: unknown layer '%s' (conv, affine, relu, layernorm, "
                         "dropout)",
                         lineno, asr_quote(f[0]));
    }
    return 0;
}

int network_build(network *net, const char *desc, int in_dim, int out_dim)
{
    memset(net, 0, sizeof *net);
    net->in_dim = in_dim;
    net->out_dim = out_dim;
    net->subsampling = 1;
    net->layers = xcalloc(MAX_LAYERS, sizeof(nn_layer));
    char *copy = xstrdup(desc);
    int lineno = 0, in = in_dim;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n;", &save); line; line = strtok_r(NULL, "\n;", &save)) {
        lineno++;
        while (*line == ' ' || *line == '\t') line++;
        if (!*line || *line == '#') continue;
        if (net->n == MAX_LAYERS) {
            free(copy);
            network_free(net);
            return asr_error("network: more than %d layers", MAX_LAYERS);
        }
        nn_layer *L = &net->layers[net->n];
        if (parse_layer(L, line, in, out_dim, lineno) < 0) {
            free(copy);
            network_free(net);
            return -1;
        }
        size_t nw = 0, nb = 0;
        if (L->kind == NN_CONV)
            nw = (size_t)L->out * L->conv.K * in, nb = (size_t)L->out;
        else if (L->kind == NN_AFFINE)
            nw = (size_t)L->out * in, nb = (size_t)L->out;
        else if (L->kind == NN_LAYERNORM)
            nw = nb = (size_t)in;
        L->w = net->num_params;
        L->b = L->w + nw;
        net->num_params += nw + nb;
        if (L->kind == NN_CONV) net->subsampling *= L->conv.stride;
        if (net->num_params > (size_t)MAX_PARAMS || net->subsampling > MAX_SUBSAMPLING) {
            int strides = net->subsampling > MAX_SUBSAMPLING;
            free(copy);
            network_free(net);
            if (strides)
                return asr_error("network line %d: the strides subsample time by more than %d",
                                 lineno, MAX_SUBSAMPLING);
            return asr_error("network line %d: more than %ld parameters in all (beyond what this "
                             "workbench trains)",
                             lineno, MAX_PARAMS);
        }
        in = L->out;
        net->n++;
    }
    free(copy);
    if (net->n == 0) {
        network_free(net);
        return asr_error("network: no layers (one layer per line, or per ';' on the command line; "
                         "end with 'affine out')");
    }
    if (in != out_dim) {
        network_free(net);
        return asr_error("network: the last layer gives %d outputs, the symbols need %d "
                         "(end with 'affine out')",
                         in, out_dim);
    }
    return 0;
}

char *network_describe(const network *net)
{
    size_t cap = 64 * (size_t)(net->n + 1);
    char *s = xmalloc(cap), *p = s;
    *p = 0;
    for (int i = 0; i < net->n; i++) {
        const nn_layer *L = &net->layers[i];
        switch (L->kind) {
        case NN_CONV:
            p += sprintf(p, "conv %d %d %d %d\n", L->out, L->conv.K, L->conv.stride,
                         L->conv.dilation);
            break;
        case NN_AFFINE:
            p += sprintf(p, "affine %d\n", L->out);
            break;
        case NN_RELU:
            p += sprintf(p, "relu %.9g\n", L->arg);
            break;
        case NN_DROPOUT:
            p += sprintf(p, "dropout %.9g\n", L->arg);
            break;
        case NN_LAYERNORM:
            p += sprintf(p, "layernorm\n");
            break;
        }
    }
    return s;
}

void network_free(network *net)
{
    free(net->layers);
    memset(net, 0, sizeof *net);
}

void network_init(const network *net, float *params, uint64_t seed)
{
    rng_state r;
    rng_seed(&r, seed);
    memset(params, 0, net->num_params * sizeof(float));
    for (int i = 0; i < net->n; i++) {
        const nn_layer *L = &net->layers[i];
        if (L->kind == NN_LAYERNORM) {
            for (int c = 0; c < L->in; c++) params[L->w + c] = 1.0f;
            continue;
        }
        if (L->kind != NN_CONV && L->kind != NN_AFFINE) continue;
        size_t fan_in = (size_t)L->in * (L->kind == NN_CONV ? L->conv.K : 1);
        double a = sqrt(6.0 / (double)fan_in);
        for (size_t j = L->w; j < L->b; j++) params[j] = (float)(a * (2 * rng_uniform(&r) - 1));
    }
}

size_t network_param_offset(const network *net, int layer)
{
    for (int i = layer < 0 ? 0 : layer; i < net->n; i++)
        if (net->layers[i].b > net->layers[i].w) return net->layers[i].w;
    return net->num_params;
}

int network_last_param_layer(const network *net)
{
    for (int i = net->n - 1; i >= 0; i--)
        if (net->layers[i].b > net->layers[i].w) return i;
    return -1;
}

/* Same kind, same shape: then the two layers' parameter blocks have the
 * same size and meaning. */
static int same_shape(const nn_layer *a, const nn_layer *b)
{
    if (a->kind != b->kind || a->in != b->in || a->out != b->out) return 0;
    if (a->kind == NN_CONV)
        return a->conv.K == b->conv.K && a->conv.stride == b->conv.stride &&
               a->conv.dilation == b->conv.dilation;
    return 1;
}

int network_copy_matching(const network *dst, float *dst_params, const network *src,
                          const float *src_params, int *copied)
{
    int n = 0;
    for (int i = 0; i < dst->n; i++) {
        const nn_layer *d = &dst->layers[i];
        /* A layer's parameters run from its weight to the next layer's. */
        size_t dn = network_param_offset(dst, i + 1) - d->w;
        int ok = i < src->n && dn > 0 && same_shape(d, &src->layers[i]);
        if (ok) {
            memcpy(dst_params + d->w, src_params + src->layers[i].w, dn * sizeof(float));
            n++;
        }
        if (copied) copied[i] = ok;
    }
    return n;
}

int network_out_len(const network *net, int T)
{
    for (int i = 0; i < net->n; i++)
        if (net->layers[i].kind == NN_CONV) T = conv1d_out_len(&net->layers[i].conv, T);
    return T;
}

double network_flops(const network *net, int T)
{
    double f = 0;
    for (int i = 0; i < net->n; i++) {
        const nn_layer *L = &net->layers[i];
        if (L->kind == NN_CONV) {
            T = conv1d_out_len(&L->conv, T);
            f += 2.0 * T * L->conv.K * L->in * L->out;
        } else if (L->kind == NN_AFFINE) {
            f += 2.0 * T * L->in * L->out;
        }
    }
    return f;
}

void network_work_init(network_work *w, const network *net)
{
    memset(w, 0, sizeof *w);
    int n = net->n;
    w->act = xcalloc((size_t)n + 1, sizeof(float *));
    w->T = xcalloc((size_t)n + 1, sizeof(int));
    w->lens = xcalloc((size_t)n + 1, sizeof(int *));
    w->aux = xcalloc((size_t)n, sizeof(float *));
    w->mask = xcalloc((size_t)n, sizeof(unsigned char *));
    w->act_cap = xcalloc((size_t)n + 1, sizeof(size_t));
    w->aux_cap = xcalloc((size_t)n, sizeof(size_t));
    w->mask_cap = xcalloc((size_t)n, sizeof(size_t));
}

void network_work_free(network_work *w, const network *net)
{
    for (int i = 0; i <= net->n; i++) {
        free(w->act[i]);
        free(w->lens[i]);
        if (i < net->n) {
            free(w->aux[i]);
            free(w->mask[i]);
        }
    }
    free(w->act);
    free(w->T);
    free(w->lens);
    free(w->aux);
    free(w->mask);
    free(w->act_cap);
    free(w->aux_cap);
    free(w->mask_cap);
    free(w->d0);
    free(w->d1);
    free(w->dcol);
    free(w->inf[0]);
    free(w->inf[1]);
    free(w->inf_aux);
    memset(w, 0, sizeof *w);
}

static void *grow(void *p, size_t *cap, size_t need)
{
    if (need <= *cap) return p;
    free(p);
    *cap = need + need / 4;
    return xmalloc(*cap);
}

/* Training keeps every layer's input (and im2col, layer-norm statistics,
 * dropout masks) for the backward pass. Inference needs none of that: the
 * layers run through two ping-pong buffers and one shared scratch, so a
 * decoder's memory does not grow with the depth of the network. */
const float *network_forward(const network *net, const float *params, network_work *w,
                             const float *x, const int *lens, int B, int T, int train, rng_state *r,
                             int *To, int *out_lens)
{
    if (B > w->lens_cap) {
        for (int i = 0; i <= net->n; i++) {
            free(w->lens[i]);
            w->lens[i] = xmalloc((size_t)B * sizeof(int));
        }
        w->lens_cap = B;
    }
    w->B = B;
    w->train = train;
    const float *in = x;
    if (train) {
        size_t n0 = (size_t)B * T * net->in_dim * sizeof(float);
        w->act[0] = grow(w->act[0], &w->act_cap[0], n0);
        memcpy(w->act[0], x, n0);
        in = w->act[0];
    }
    memcpy(w->lens[0], lens, (size_t)B * sizeof(int));
    w->T[0] = T;
    float *out = NULL;
    for (int i = 0; i < net->n; i++) {
        const nn_layer *L = &net->layers[i];
        int Ti = w->T[i];
        int Tn = L->kind == NN_CONV ? conv1d_out_len(&L->conv, Ti) : Ti;
        for (int b = 0; b < B; b++)
            w->lens[i + 1][b] =
                L->kind == NN_CONV ? conv1d_out_len(&L->conv, w->lens[i][b]) : w->lens[i][b];
        w->T[i + 1] = Tn;
        size_t nout = (size_t)B * Tn * L->out;
        float **aux = train ? &w->aux[i] : &w->inf_aux;
        size_t *aux_cap = train ? &w->aux_cap[i] : &w->inf_aux_cap;
        if (train)
            out = w->act[i + 1] = grow(w->act[i + 1], &w->act_cap[i + 1], nout * sizeof(float));
        else
            out = w->inf[i % 2] = grow(w->inf[i % 2], &w->inf_cap[i % 2], nout * sizeof(float));
        size_t nin = (size_t)B * Ti * L->in;
        switch (L->kind) {
        case NN_CONV:
            *aux = grow(*aux, aux_cap, (size_t)B * Tn * L->conv.K * L->in * sizeof(float));
            conv1d_forward(out, *aux, in, params + L->w, params + L->b, w->lens[i], B, Ti,
                           &L->conv);
            break;
        case NN_AFFINE:
            affine_forward(out, in, params + L->w, params + L->b, B * Ti, L->in, L->out);
            break;
        case NN_RELU:
            clipped_relu_forward(out, in, nin, L->arg);
            break;
        case NN_LAYERNORM:
            *aux = grow(*aux, aux_cap, 2 * (size_t)B * Ti * sizeof(float));
            layernorm_forward(out, *aux, *aux + (size_t)B * Ti, in, params + L->w, params + L->b,
                              B * Ti, L->in);
            break;
        case NN_DROPOUT:
            if (train && L->arg > 0) {
                w->mask[i] = grow(w->mask[i], &w->mask_cap[i], nin);
                dropout_forward(out, w->mask[i], in, nin, L->arg, r);
            } else {
                memcpy(out, in, nin * sizeof(float));
            }
            break;
        }
        in = out;
    }
    *To = w->T[net->n];
    memcpy(out_lens, w->lens[net->n], (size_t)B * sizeof(int));
    return in;
}

void network_backward(const network *net, const float *params, float *grads, network_work *w,
                      const float *dlogits, float *dinput)
{
    assert(w->train && "network_backward follows a training-mode forward");
    int B = w->B;
    size_t maxn = 0;
    for (int i = 0; i <= net->n; i++) {
        int C = i < net->n ? net->layers[i].in : net->out_dim;
        size_t n = (size_t)B * w->T[i] * C;
        if (n > maxn) maxn = n;
    }
    if (maxn > w->d_cap) {
        free(w->d0);
        free(w->d1);
        w->d_cap = maxn + maxn / 4;
        w->d0 = xmalloc(w->d_cap * sizeof(float));
        w->d1 = xmalloc(w->d_cap * sizeof(float));
    }
    float *dout = w->d0, *din = w->d1;
    memcpy(dout, dlogits, (size_t)B * w->T[net->n] * net->out_dim * sizeof(float));
    int stop = w->frozen > 0 ? w->frozen : 0;
    for (int i = net->n - 1; i >= stop; i--) {
        const nn_layer *L = &net->layers[i];
        int Ti = w->T[i];
        size_t nin = (size_t)B * Ti * L->in;
        int need_din = i > stop || (dinput && stop == 0);
        if (need_din) memset(din, 0, nin * sizeof(float));
        const float *in = w->act[i];
        switch (L->kind) {
        case NN_CONV: {
            size_t nc = (size_t)B * w->T[i + 1] * L->conv.K * L->in;
            if (nc > w->dcol_cap) {
                free(w->dcol);
                w->dcol_cap = nc + nc / 4;
                w->dcol = xmalloc(w->dcol_cap * sizeof(float));
            }
            conv1d_backward(need_din ? din : NULL, grads + L->w, grads + L->b, w->dcol, dout,
                            w->aux[i], params + L->w, w->lens[i], B, Ti, &L->conv);
            break;
        }
        case NN_AFFINE:
            affine_backward(need_din ? din : NULL, grads + L->w, grads + L->b, dout, in,
                            params + L->w, B * Ti, L->in, L->out);
            break;
        case NN_RELU:
            clipped_relu_backward(din, dout, in, nin, L->arg);
            break;
        case NN_LAYERNORM:
            layernorm_backward(din, grads + L->w, grads + L->b, dout, in, params + L->w, w->aux[i],
                               w->aux[i] + (size_t)B * Ti, B * Ti, L->in);
            break;
        case NN_DROPOUT:
            if (w->train && L->arg > 0)
                dropout_backward(din, dout, w->mask[i], nin, L->arg);
            else
                for (size_t j = 0; j < nin; j++) din[j] += dout[j];
            break;
        }
        float *t = dout;
        dout = din;
        din = t;
    }
    if (dinput && stop == 0)
        memcpy(dinput, dout, (size_t)B * w->T[0] * net->in_dim * sizeof(float));
}
