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

/* The log-probability of the best CTC alignment of tokens SYM[0..N) to
 * frames [T0, T1) of LOGP (V columns, 0 blank): Viterbi over the tokens with
 * blanks between (state 2k + 1 token k, even states blank; the same token
 * twice needs a blank between), in O(N) memory. -INFINITY when the frames
 * are too few. */
static double viterbi(const float *logp, int t0, int t1, int V, const int *sym, int n)
{
    int S = 2 * n + 1;
    double *a = xmalloc(sizeof(double) * (size_t)S * 2);
    double *cur = a, *prev = a + S;
    for (int s = 0; s < S; s++) cur[s] = -INFINITY;
    for (int t = t0; t < t1; t++) {
        const float *lp = logp + (size_t)t * V;
        double *tmp = prev;
        prev = cur;
        cur = tmp;
        for (int s = 0; s < S; s++) {
            double best = t == t0 ? (s < 2 ? 0 : -INFINITY) : prev[s];
            if (t > t0 && s >= 1 && prev[s - 1] > best) best = prev[s - 1];
            if (t > t0 && s % 2 && s >= 3 && sym[s / 2] != sym[s / 2 - 1] && prev[s - 2] > best)
                best = prev[s - 2];
            cur[s] = best + lp[s % 2 ? sym[s / 2] : 0];
        }
    }
    double r = t1 > t0 ? (S >= 2 && cur[S - 2] > cur[S - 1] ? cur[S - 2] : cur[S - 1]) : -INFINITY;
    free(a);
    return r;
}

/* The free path's log-probability over frames [T0, T1): the best symbol of
 * every frame, no constraint at all (greedy CTC); *HEARD gets how many of
 * those symbols are not blank. */
static double free_path(const float *logp, int t0, int t1, int V, int *heard)
{
    double sum = 0;
    *heard = 0;
    for (int t = t0; t < t1; t++) {
        const float *lp = logp + (size_t)t * V;
        int b = 0;
        for (int v = 1; v < V; v++)
            if (lp[v] > lp[b]) b = v;
        sum += lp[b];
        *heard += b != 0;
    }
    return sum;
}

/* The gap of tokens SYM[0..N) over frames [T0, T1), in nats per frame of
 * the span (PER_HEARD 0) or per heard frame plus one (PER_HEARD 1): >= 0,
 * 0 for no frame, CTC_GAP_MAX when the tokens cannot fit. */
static float gap(const float *logp, int t0, int t1, int V, const int *sym, int n, int per_heard)
{
    if (t1 <= t0) return 0;
    double v = viterbi(logp, t0, t1, V, sym, n);
    if (!isfinite(v)) return CTC_GAP_MAX;
    int heard;
    double g = (free_path(logp, t0, t1, V, &heard) - v) / (per_heard ? heard + 1 : t1 - t0);
    return g < 0 ? 0 : g > CTC_GAP_MAX ? CTC_GAP_MAX : (float)g;
}

float ctc_free_gap(const float *logp, int T, int V, const int *sym, int n)
{
    return gap(logp, 0, T, V, sym, n, 1);
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
        out[i] = (ctc_word){
            frame[first[i]],
            last + 1,
            sum / (float)(end[i] - first[i]),
            NULL,
            gap(logp, frame[first[i]], last + 1, V, sym + first[i], end[i] - first[i], 0),
            0};
    }
}
