/* speaker_xform.c — per-speaker transforms of an adapted model; see
 * speaker_xform.h. */
#include "recognizer/speaker_xform.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/utf8.h"
#include "nn/affine.h"
#include "nn/layernorm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int xform_kind_parse(const char *name, xform_kind *k)
{
    if (!strcmp(name, "feature")) {
        *k = XFORM_FEATURE;
        return 0;
    }
    if (!strcmp(name, "layernorm")) {
        *k = XFORM_LAYERNORM;
        return 0;
    }
    return asr_error("unknown adaptation '%s' (feature or layernorm)", asr_quote(name));
}

const char *xform_kind_name(xform_kind k)
{
    return k == XFORM_FEATURE ? "feature" : "layernorm";
}

int xform_dim(xform_kind k, const network *net)
{
    if (k == XFORM_FEATURE) return net->in_dim * net->in_dim + net->in_dim;
    size_t n = 0;
    for (int i = 0; i < net->n; i++)
        if (net->layers[i].kind == &nn_layernorm_kind) n += net->layers[i].np;
    return (int)n;
}

/* The layer-norm layers' parameters, in layer order, are the transform: copy
 * them between the arena PARAMS and V (TO_V: arena to V). */
static void layernorm_slices(const network *net, float *params, float *v, int to_v)
{
    size_t o = 0;
    for (int i = 0; i < net->n; i++) {
        const nn_layer *L = &net->layers[i];
        if (L->kind != &nn_layernorm_kind) continue;
        if (to_v)
            memcpy(v + o, params + L->w, L->np * sizeof(float));
        else
            memcpy(params + L->w, v + o, L->np * sizeof(float));
        o += L->np;
    }
}

void xform_identity(xform_kind k, const network *net, const float *params, float *v)
{
    if (k == XFORM_LAYERNORM) {
        layernorm_slices(net, (float *)params, v, 1);
        return;
    }
    int D = net->in_dim;
    memset(v, 0, sizeof(float) * (size_t)(D * D + D));
    for (int d = 0; d < D; d++) v[d * D + d] = 1;
}

void xform_apply_features(xform_kind k, const float *v, const float *x, float *out, int T, int D)
{
    /* x' = A x + b for every frame: an affine layer over the rows, A [D][D]
     * its weight, b its bias, as v holds them. */
    if (k == XFORM_FEATURE) affine_forward(out, x, v, v + (size_t)D * D, T, D, D);
}

void xform_apply_params(xform_kind k, const network *net, const float *v, float *params)
{
    if (k == XFORM_LAYERNORM) layernorm_slices(net, params, (float *)v, 0);
}

void speaker_xforms_init(speaker_xforms *x, xform_kind k, int dim)
{
    memset(x, 0, sizeof *x);
    x->kind = k;
    x->dim = dim;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const xform_name *)a)->name, ((const xform_name *)b)->name);
}

static int find_exact(const speaker_xforms *x, const char *speaker)
{
    xform_name key = {speaker, -1};
    const xform_name *hit =
        x->n ? bsearch(&key, x->by_name, (size_t)x->n, sizeof key, name_cmp) : NULL;
    return hit ? hit->i : -1;
}

void speaker_xforms_put(speaker_xforms *x, const char *speaker, const float *v)
{
    int i = find_exact(x, speaker);
    if (i < 0) {
        i = x->n++;
        x->speakers = xrealloc(x->speakers, sizeof(char *) * (size_t)x->n);
        x->v = xrealloc(x->v, sizeof(float) * (size_t)x->n * (size_t)x->dim);
        x->by_name = xrealloc(x->by_name, sizeof(xform_name) * (size_t)x->n);
        x->speakers[i] = xstrdup(speaker);
        /* Into its place among the sorted names. */
        int at = i;
        while (at > 0 && strcmp(x->by_name[at - 1].name, speaker) > 0) at--;
        memmove(x->by_name + at + 1, x->by_name + at, sizeof(xform_name) * (size_t)(i - at));
        x->by_name[at] = (xform_name){x->speakers[i], i};
    }
    memcpy(x->v + (size_t)i * x->dim, v, sizeof(float) * (size_t)x->dim);
}

int speaker_xforms_find(const speaker_xforms *x, const char *speaker)
{
    int i = speaker ? find_exact(x, speaker) : -1;
    return i >= 0 ? i : find_exact(x, "*");
}

void speaker_xforms_free(speaker_xforms *x)
{
    for (int i = 0; i < x->n; i++) free(x->speakers[i]);
    free(x->speakers);
    free(x->v);
    free(x->by_name);
    memset(x, 0, sizeof *x);
}

void speaker_xforms_save(const speaker_xforms *x, model_file *f)
{
    char head[64];
    int hn = snprintf(head, sizeof head, "%s %d %d\n", xform_kind_name(x->kind), x->n, x->dim);
    size_t size = (size_t)hn;
    for (int i = 0; i < x->n; i++)
        size += strlen(x->speakers[i]) + 1 + sizeof(float) * (size_t)x->dim;
    unsigned char *buf = xmalloc(size), *p = buf;
    memcpy(p, head, (size_t)hn);
    p += hn;
    for (int i = 0; i < x->n; i++) {
        size_t l = strlen(x->speakers[i]);
        memcpy(p, x->speakers[i], l);
        p[l] = '\n';
        p += l + 1;
        /* float32 as the weights are stored: the host's order, little-endian
         * on every machine this builds for (base/model_file.h). */
        memcpy(p, x->v + (size_t)i * x->dim, sizeof(float) * (size_t)x->dim);
        p += sizeof(float) * (size_t)x->dim;
    }
    model_file_put(f, "adapt", buf, size);
    free(buf);
}

/* A speaker name of a stored transform: 1..255 bytes of valid UTF-8, no
 * space or control character. */
static int name_ok(const char *s, size_t len)
{
    if (len == 0 || len > 255) return 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int l = utf8_decode(s + i, &cp);
        if (l == 0 || utf8_is_control(cp) || cp == ' ' || i + (size_t)l > len) return 0;
        i += (size_t)l;
    }
    return 1;
}

int speaker_xforms_load(const model_file *f, const char *name, const network *net,
                        speaker_xforms *x)
{
    memset(x, 0, sizeof *x);
    const model_section *s = model_file_get(f, "adapt");
    if (!s) return 0;
    const char *p = s->data, *end = p + s->size;
    const char *nl = memchr(p, '\n', (size_t)(end - p) < 64 ? (size_t)(end - p) : 64);
    char head[64], kind[16];
    int n, dim, used = 0;
    if (!nl) return asr_error("%s: section adapt: no header line", name);
    memcpy(head, p, (size_t)(nl - p));
    head[nl - p] = 0;
    xform_kind k;
    if (sscanf(head, "%15s %d %d%n", kind, &n, &dim, &used) != 3 || head[used] ||
        xform_kind_parse(kind, &k) < 0)
        return asr_error("%s: section adapt: header '%s' is not 'KIND COUNT DIM'", name,
                         asr_quote(head));
    if (n < 1 || n > SPEAKER_XFORM_MAX)
        return asr_error("%s: section adapt: %d transforms (1 to %d)", name, n, SPEAKER_XFORM_MAX);
    int want = xform_dim(k, net);
    if (dim != want || want == 0)
        return asr_error("%s: section adapt: %s transforms of %d numbers, this network's have %d",
                         name, kind, dim, want);
    /* Nothing is allocated for transforms the bytes cannot hold (each is a
     * name of one byte or more, its newline and DIM floats). */
    size_t least = (size_t)n * (2 + sizeof(float) * (size_t)dim), have = (size_t)(end - nl - 1);
    if (have < least)
        return asr_error("%s: section adapt: %d transforms need %zu bytes or more, it has %zu",
                         name, n, least, have);
    /* Read whole, then sorted once: a file of the most transforms costs n log n
     * to check, not n^2. */
    speaker_xforms_init(x, k, dim);
    x->speakers = xcalloc((size_t)n, sizeof(char *));
    x->v = xmalloc(sizeof(float) * (size_t)n * (size_t)dim);
    x->by_name = xmalloc(sizeof(xform_name) * (size_t)n);
    p = nl + 1;
    for (int i = 0; i < n; i++) {
        const char *e = memchr(p, '\n', (size_t)(end - p) < 256 ? (size_t)(end - p) : 256);
        if (!e || !name_ok(p, (size_t)(e - p))) {
            asr_error("%s: section adapt: transform %d: no valid speaker name", name, i + 1);
            goto fail;
        }
        char *spk = xmalloc((size_t)(e - p) + 1);
        memcpy(spk, p, (size_t)(e - p));
        spk[e - p] = 0;
        x->speakers[x->n++] = spk;
        p = e + 1;
        if ((size_t)(end - p) < sizeof(float) * (size_t)dim) {
            asr_error("%s: section adapt: transform of speaker %s is cut short", name,
                      asr_quote(spk));
            goto fail;
        }
        float *v = x->v + (size_t)i * dim;
        memcpy(v, p, sizeof(float) * (size_t)dim);
        p += sizeof(float) * (size_t)dim;
        for (int j = 0; j < dim; j++)
            if (!isfinite(v[j])) {
                asr_error("%s: section adapt: transform of speaker %s holds a NaN or infinity",
                          name, asr_quote(spk));
                goto fail;
            }
        x->by_name[i] = (xform_name){spk, i};
    }
    if (p != end) {
        asr_error("%s: section adapt: %zu bytes after the last transform", name, (size_t)(end - p));
        goto fail;
    }
    qsort(x->by_name, (size_t)n, sizeof(xform_name), name_cmp);
    for (int i = 1; i < n; i++)
        if (!strcmp(x->by_name[i - 1].name, x->by_name[i].name)) {
            asr_error("%s: section adapt: speaker %s has two transforms", name,
                      asr_quote(x->by_name[i].name));
            goto fail;
        }
    return 0;
fail:
    speaker_xforms_free(x);
    return -1;
}
