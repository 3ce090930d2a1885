/* ctc_times.c — word times and confidences from a CTC search's best path;
 * see ctc_times.h. */
#include "decode/ctc_times.h"

#include "base/alloc.h"

#include <math.h>
#include <stdlib.h>

void ctc_path_init(ctc_path *p)
{
    p->parent = p->sym = p->frame = NULL;
    p->n = p->cap = 0;
}

void ctc_path_free(ctc_path *p)
{
    free(p->parent);
    free(p->sym);
    free(p->frame);
    ctc_path_init(p);
}

int ctc_path_add(ctc_path *p, int parent, int sym, int frame)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 256;
        p->parent = xrealloc(p->parent, (size_t)p->cap * sizeof(int));
        p->sym = xrealloc(p->sym, (size_t)p->cap * sizeof(int));
        p->frame = xrealloc(p->frame, (size_t)p->cap * sizeof(int));
    }
    p->parent[p->n] = parent;
    p->sym[p->n] = sym;
    p->frame[p->n] = frame;
    return p->n++;
}

int ctc_path_len(const ctc_path *p, int last)
{
    int n = 0;
    for (int r = last; r >= 0; r = p->parent[r]) n++;
    return n;
}

void ctc_path_read(const ctc_path *p, int last, int *sym, int *frame)
{
    int k = ctc_path_len(p, last);
    for (int r = last; r >= 0; r = p->parent[r]) {
        k--;
        if (sym) sym[k] = p->sym[r];
        if (frame) frame[k] = p->frame[r];
    }
}

int ctc_split_words(const int *sym, int n, int sep, int *first, int *end)
{
    int nw = 0;
    for (int k = 0; k < n; k++) {
        if (sym[k] == sep) continue;
        if (k == 0 || sym[k - 1] == sep) first[nw++] = k;
        end[nw - 1] = k + 1;
    }
    return nw;
}

/* The last frame of token K's span and its spike's posterior (ctc_times.h). */
static int token_span(const float *logp, int T, int V, const int *sym, const int *frame, int n,
                      int k, float *post)
{
    int f = frame[k], stop = k + 1 < n && frame[k + 1] <= T ? frame[k + 1] : T, l = f;
    const float *lp = logp + (size_t)f * V;
    float best = lp[sym[k]];
    for (int t = f + 1; t < stop; t++) {
        lp = logp + (size_t)t * V;
        if (lp[sym[k]] <= lp[0]) break;
        if (lp[sym[k]] > best) best = lp[sym[k]];
        l = t;
    }
    *post = expf(best);
    return l;
}

void ctc_word_times(const float *logp, int T, int V, const int *sym, const int *frame, int n,
                    const int *first, const int *end, int nw, ctc_word *out)
{
    for (int i = 0; i < nw; i++) {
        float sum = 0, q;
        int last = frame[first[i]];
        for (int k = first[i]; k < end[i]; k++) {
            last = token_span(logp, T, V, sym, frame, n, k, &q);
            sum += q;
        }
        out[i] = (ctc_word){frame[first[i]], last + 1, sum / (float)(end[i] - first[i]), NULL};
    }
}
