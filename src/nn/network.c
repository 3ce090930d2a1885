/* network.c — parse, initialise, forward and backward a layer stack; see network.h. */
#include "nn/network.h"

#include "base/alloc.h"
#include "base/error.h"
#include "nn/activation.h"
#include "nn/affine.h"
#include "nn/conv1d.h"
#include "nn/dropout.h"
#include "nn/gru.h"
#include "nn/layernorm.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LAYERS 64
#define MAX_WORDS  8 /* on one description line */

/* Bounds of the whole network (those of one layer's arguments are layer.h's). */
#define MAX_SUBSAMPLING 64
#define MAX_PARAMS      (1L << 27)

/* The layer kinds: a new kind is one line here (layer.h). */
static const nn_layer_kind *const kinds[] = {
    &nn_conv_kind,    &nn_affine_kind, &nn_relu_kind,  &nn_layernorm_kind,
    &nn_dropout_kind, &nn_gru_kind,    &nn_bigru_kind,
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

int nn_arg_int(const char *s, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return end == s || *end || v < 1 || v > hi ? -1 : (int)v;
}

int nn_arg_width(const char *s, int out_dim)
{
    return !strcmp(s, "out") ? out_dim : nn_arg_int(s, NN_MAX_WIDTH);
}

int nn_arg_float(const char *s, float *v)
{
    char *end;
    *v = strtof(s, &end);
    return end == s || *end ? asr_error("'%s' is not a number", asr_quote(s)) : 0;
}

/* The kinds' names, with their arguments when USAGE, into BUF. */
static void list_kinds(char *buf, size_t cap, int usage)
{
    size_t n = 0;
    if (cap) *buf = 0;
    for (size_t i = 0; i < NKINDS && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s%s%s", i ? ", " : "", kinds[i]->name,
                              usage && *kinds[i]->usage ? " " : "", usage ? kinds[i]->usage : "");
}

void network_kinds(char *buf, size_t cap)
{
    list_kinds(buf, cap, 1);
}

/* The kind's message, prefixed with the line it is about. */
static int line_error(int lineno)
{
    char why[512];
    snprintf(why, sizeof why, "%s", asr_last_error());
    return asr_error("network line %d: %s", lineno, why);
}

static int parse_layer(nn_layer *L, char *line, int in, int out_dim, int lineno)
{
    char *f[MAX_WORDS + 1], *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(line, " \t", &save); tok && n <= MAX_WORDS;
         tok = strtok_r(NULL, " \t", &save))
        f[n++] = tok;
    memset(L, 0, sizeof *L);
    L->in = in;
    L->stride = 1;
    if (n > 1 && !strcmp(f[n - 1], "residual")) L->residual = 1, n--;
    for (size_t k = 0; k < NKINDS && !L->kind; k++)
        if (!strcmp(f[0], kinds[k]->name)) L->kind = kinds[k];
    if (!L->kind) {
        char names[256];
        list_kinds(names, sizeof names, 0);
        return asr_error("network line %d: unknown layer '%s' (%s)", lineno, asr_quote(f[0]),
                         names);
    }
    if (n > MAX_WORDS || L->kind->parse(L, n - 1, f + 1, out_dim) < 0) {
        if (n > MAX_WORDS) asr_error("more than %d words", MAX_WORDS);
        return line_error(lineno);
    }
    if (L->residual && (L->out != L->in || L->stride != 1))
        return asr_error("network line %d: 'residual' adds the layer's input to its output, "
                         "which needs as many channels out as in and stride 1 (here %d in, %d "
                         "out, stride %d)",
                         lineno, L->in, L->out, L->stride);
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
        L->w = net->num_params;
        net->num_params += L->np;
        net->subsampling *= L->stride;
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
    enum { LINE = 160 }; /* a name, NN_MAX_ARGS numbers, "residual" */
    char *s = xmalloc(LINE * (size_t)(net->n + 1)), *p = s;
    *p = 0;
    for (int i = 0; i < net->n; i++) {
        const nn_layer *L = &net->layers[i];
        char args[LINE - 32];
        L->kind->describe(L, args, sizeof args);
        p += sprintf(p, "%s%s%s\n", L->kind->name, args, L->residual ? " residual" : "");
    }
    return s;
}

void network_copy_without_dropout(const network *src, network *dst)
{
    *dst = *src;
    dst->layers = xmalloc(sizeof(nn_layer) * (size_t)(src->n ? src->n : 1));
    memcpy(dst->layers, src->layers, sizeof(nn_layer) * (size_t)src->n);
    for (int i = 0; i < dst->n; i++)
        if (dst->layers[i].kind == &nn_dropout_kind) dst->layers[i].farg = 0;
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
        if (L->kind->init) L->kind->init(L, params + L->w, &r);
    }
}

size_t network_param_offset(const network *net, int layer)
{
    for (int i = layer < 0 ? 0 : layer; i < net->n; i++)
        if (net->layers[i].np) return net->layers[i].w;
    return net->num_params;
}

int network_last_param_layer(const network *net)
{
    for (int i = net->n - 1; i >= 0; i--)
        if (net->layers[i].np) return i;
    return -1;
}

/* Same kind, same shape (widths, stride, integer arguments): then the two
 * layers' parameter blocks have the same size and meaning. */
static int same_shape(const nn_layer *a, const nn_layer *b)
{
    return a->kind == b->kind && a->in == b->in && a->out == b->out && a->stride == b->stride &&
           a->np == b->np && !memcmp(a->arg, b->arg, sizeof a->arg);
}

int network_copy_matching(const network *dst, float *dst_params, const network *src,
                          const float *src_params, int *copied)
{
    int n = 0;
    for (int i = 0; i < dst->n; i++) {
        const nn_layer *d = &dst->layers[i];
        int ok = i < src->n && d->np > 0 && same_shape(d, &src->layers[i]);
        if (ok) {
            memcpy(dst_params + d->w, src_params + src->layers[i].w, d->np * sizeof(float));
            n++;
        }
        if (copied) copied[i] = ok;
    }
    return n;
}

static int out_len(const nn_layer *L, int T)
{
    return (T + L->stride - 1) / L->stride;
}

int network_out_len(const network *net, int T)
{
    for (int i = 0; i < net->n; i++) T = out_len(&net->layers[i], T);
    return T;
}

double network_flops(const network *net, int T)
{
    double f = 0;
    for (int i = 0; i < net->n; i++) {
        const nn_layer *L = &net->layers[i];
        if (L->kind->flops) f += L->kind->flops(L, T);
        T = out_len(L, T);
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
    w->aux = xcalloc((size_t)n, sizeof(void *));
    w->act_cap = xcalloc((size_t)n + 1, sizeof(size_t));
    w->aux_cap = xcalloc((size_t)n, sizeof(size_t));
}

void network_work_free(network_work *w, const network *net)
{
    for (int i = 0; i <= net->n; i++) {
        free(w->act[i]);
        free(w->lens[i]);
        if (i < net->n) free(w->aux[i]);
    }
    free(w->act);
    free(w->T);
    free(w->lens);
    free(w->aux);
    free(w->act_cap);
    free(w->aux_cap);
    free(w->d0);
    free(w->d1);
    free(w->scratch);
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

/* Training keeps every layer's input (and its aux: im2col, layer-norm
 * statistics, dropout masks, recurrent states) for the backward pass.
 * Inference needs none of that: the layers run through two ping-pong
 * buffers and one shared scratch, so a decoder's memory does not grow with
 * the depth of the network. */
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
        for (int b = 0; b < B; b++) w->lens[i + 1][b] = out_len(L, w->lens[i][b]);
        w->T[i + 1] = out_len(L, Ti);
        size_t nout = (size_t)B * w->T[i + 1] * L->out;
        if (train)
            out = w->act[i + 1] = grow(w->act[i + 1], &w->act_cap[i + 1], nout * sizeof(float));
        else
            out = w->inf[i % 2] = grow(w->inf[i % 2], &w->inf_cap[i % 2], nout * sizeof(float));
        void **aux = train ? &w->aux[i] : &w->inf_aux;
        size_t na = L->kind->aux_bytes ? L->kind->aux_bytes(L, B, Ti, train) : 0;
        if (na) *aux = grow(*aux, train ? &w->aux_cap[i] : &w->inf_aux_cap, na);
        nn_pass ps = {B, Ti, w->T[i + 1], w->lens[i], w->lens[i + 1], train, r, *aux};
        L->kind->forward(L, params + L->w, &ps, in, out);
        if (L->residual)
            for (size_t j = 0; j < nout; j++) out[j] += in[j];
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
    int stop = w->frozen > 0 ? w->frozen : 0;
    size_t maxn = (size_t)B * w->T[net->n] * net->out_dim, maxs = 0;
    for (int i = 0; i < net->n; i++) {
        const nn_layer *L = &net->layers[i];
        size_t n = (size_t)B * w->T[i] * L->in;
        if (n > maxn) maxn = n;
        if (i >= stop && L->kind->scratch_bytes) {
            size_t ns = L->kind->scratch_bytes(L, B, w->T[i]);
            if (ns > maxs) maxs = ns;
        }
    }
    if (maxn > w->d_cap) {
        free(w->d0);
        free(w->d1);
        w->d_cap = maxn + maxn / 4;
        w->d0 = xmalloc(w->d_cap * sizeof(float));
        w->d1 = xmalloc(w->d_cap * sizeof(float));
    }
    w->scratch = grow(w->scratch, &w->scratch_cap, maxs);
    float *dout = w->d0, *din = w->d1;
    memcpy(dout, dlogits, (size_t)B * w->T[net->n] * net->out_dim * sizeof(float));
    for (int i = net->n - 1; i >= stop; i--) {
        const nn_layer *L = &net->layers[i];
        size_t nin = (size_t)B * w->T[i] * L->in;
        int need_din = i > stop || (dinput && stop == 0);
        if (need_din) memset(din, 0, nin * sizeof(float));
        nn_pass ps = {B, w->T[i], w->T[i + 1], w->lens[i], w->lens[i + 1], 1, NULL, w->aux[i]};
        L->kind->backward(L, params + L->w, grads + L->w, &ps, w->act[i], dout,
                          need_din ? din : NULL, w->scratch);
        if (L->residual && need_din)
            for (size_t j = 0; j < nin; j++) din[j] += dout[j];
        float *t = dout;
        dout = din;
        din = t;
    }
    if (dinput && stop == 0)
        memcpy(dinput, dout, (size_t)B * w->T[0] * net->in_dim * sizeof(float));
}
