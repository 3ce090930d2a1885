/* confidence.c — AUC, calibration bins and WER after rejection; see
 * confidence.h. */
#include "text/confidence.h"

#include "base/alloc.h"
#include "text/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A word's confidence and what it is sorted by besides: its place. */
typedef struct {
    double p;
    int right, utt, word;
} conf_item;

static int by_confidence(const void *a, const void *b)
{
    const conf_item *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    if (x->utt != y->utt) return x->utt < y->utt ? -1 : 1;
    return (x->word > y->word) - (x->word < y->word);
}

static double clamp01(double p)
{
    return p > 1 ? 1 : p >= 0 ? p : 0; /* NAN -> 0 */
}

void conf_quality_measure(const double *p, const int *right, int n, conf_quality *q)
{
    memset(q, 0, sizeof *q);
    double sum_p[CONF_BINS] = {0}, sum_y[CONF_BINS] = {0};
    conf_item *it = xmalloc(sizeof *it * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        double v = clamp01(p[i]);
        int r = right[i] != 0, b = v >= 1 ? CONF_BINS - 1 : (int)(v * CONF_BINS);
        it[i] = (conf_item){v, r, 0, i};
        q->right += r;
        q->bins[b].n++;
        sum_p[b] += v;
        sum_y[b] += r;
    }
    q->words = n;
    /* The AUC from the rank sum of the right words (ranks from 1, a run of
     * ties sharing its mean rank): (R - P (P + 1) / 2) / (P N'). */
    qsort(it, (size_t)n, sizeof *it, by_confidence);
    double ranks = 0;
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && it[j + 1].p == it[i].p) j++;
        for (int k = i; k <= j; k++)
            if (it[k].right) ranks += (i + j) / 2.0 + 1;
        i = j + 1;
    }
    free(it);
    long pos = q->right, neg = n - q->right;
    q->auc = pos && neg ? (ranks - pos * (pos + 1) / 2.0) / ((double)pos * neg) : NAN;
    q->ece = n ? 0 : NAN;
    for (int b = 0; b < CONF_BINS; b++) {
        conf_bin *c = &q->bins[b];
        c->lo = (double)b / CONF_BINS;
        c->hi = (double)(b + 1) / CONF_BINS;
        c->mean_confidence = c->n ? sum_p[b] / c->n : NAN;
        c->accuracy = c->n ? sum_y[b] / c->n : NAN;
        if (c->n) q->ece += fabs(sum_p[b] - sum_y[b]) / n;
    }
}

int conf_right_words(const char *ref, const char *hyp, int *right, int n, int *nref, int *errors)
{
    token_list r, h;
    metrics_tokenize(ref, METRICS_WORDS, &r);
    metrics_tokenize(hyp, METRICS_WORDS, &h);
    edit_alignment a;
    edit_align_strings(r.tok, r.n, h.tok, h.n, &a);
    for (int k = 0; k < n; k++) right[k] = 0;
    for (int k = 0; k < a.n_ops; k++)
        if (a.ops[k].kind == EDIT_CORRECT && a.ops[k].hyp < n) right[a.ops[k].hyp] = 1;
    int m = h.n;
    *nref = r.n;
    *errors = a.sub + a.del + a.ins;
    edit_alignment_free(&a);
    token_list_free(&r);
    token_list_free(&h);
    return m;
}

double conf_reject_wer(const conf_utt *u, int n, double frac)
{
    long total = 0;
    for (int i = 0; i < n; i++) total += u[i].nconf;
    conf_item *it = xmalloc(sizeof *it * (size_t)(total + 1));
    long m = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < u[i].nconf; k++) it[m++] = (conf_item){u[i].conf[k], 0, i, k};
    qsort(it, (size_t)m, sizeof *it, by_confidence);
    long reject = lround(clamp01(frac) * (double)m);
    /* The rejected words back in utterance order: (utt, word) pairs sorted. */
    for (long j = 0; j < reject; j++) it[j].p = 0;
    qsort(it, (size_t)reject, sizeof *it, by_confidence);
    long errors = 0, words = 0, next = 0;
    for (int i = 0; i < n; i++) {
        token_list r, h;
        metrics_tokenize(u[i].ref, METRICS_WORDS, &r);
        metrics_tokenize(u[i].hyp, METRICS_WORDS, &h);
        int kept = 0;
        for (int k = 0; k < h.n; k++) {
            int gone = next < reject && it[next].utt == i && it[next].word == k;
            next += gone;
            if (!gone) h.tok[kept++] = h.tok[k];
        }
        while (next < reject && it[next].utt == i) next++; /* words past HYP's */
        edit_alignment a;
        edit_count_strings(r.tok, r.n, h.tok, kept, &a);
        errors += a.sub + a.del + a.ins;
        words += r.n;
        edit_alignment_free(&a);
        token_list_free(&r);
        token_list_free(&h);
    }
    free(it);
    return words ? metrics_rate(errors, words) : NAN;
}
