/* bootstrap.c — see bootstrap.h. */
#include "text/bootstrap.h"

#include <stdio.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>

void bootstrap_config_default(bootstrap_config *c)
{
    c->resamples = 1000;
    c->level = 0.95;
    c->seed = 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value at fraction Q of the sorted V[0..n): linear between ranks. */
static double quantile(const double *v, int n, double q)
{
    double pos = q * (n - 1);
    int i = (int)floor(pos);
    if (i >= n - 1) return v[n - 1];
    return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

int bootstrap_wer(const int *err_a, const int *err_b, const int *ref, const int *group, int n,
                  const bootstrap_config *c, bootstrap_result *r)
{
    if (c->resamples < 100 || c->resamples > 1000000)
        return asr_error("bootstrap: %d resamples, expected 100 to 1000000", c->resamples);
    if (!(c->level > 0.5 && c->level < 1))
        return asr_error("bootstrap: level %g, expected within (0.5, 1)", c->level);
    /* Sum each unit's counts: a resample draws whole units. */
    int units = 0;
    for (int i = 0; i < n; i++) {
        int g = group ? group[i] : i;
        if (g < 0 || g >= n)
            return asr_error("bootstrap: group %d of utterance %d out of range", g, i);
        if (g + 1 > units) units = g + 1;
    }
    long *ea = xcalloc((size_t)(units ? units : 1), sizeof *ea);
    long *eb = xcalloc((size_t)(units ? units : 1), sizeof *eb);
    long *nr = xcalloc((size_t)(units ? units : 1), sizeof *nr);
    unsigned char *present = xcalloc((size_t)(units ? units : 1), 1);
    long ta = 0, tb = 0, tn = 0;
    for (int i = 0; i < n; i++) {
        int g = group ? group[i] : i;
        present[g] = 1;
        ea[g] += err_a[i];
        eb[g] += err_b ? err_b[i] : 0;
        nr[g] += ref[i];
        ta += err_a[i];
        tb += err_b ? err_b[i] : 0;
        tn += ref[i];
    }
    int rc = 0;
    if (tn <= 0) {
        rc = asr_error("bootstrap: no reference words");
        goto done;
    }
    /* Group indices no utterance has are not units. */
    int *used = xmalloc((size_t)(units ? units : 1) * sizeof *used), m = 0;
    for (int g = 0; g < units; g++)
        if (present[g]) used[m++] = g;
    double *v = xmalloc((size_t)c->resamples * sizeof *v);
    rng_state rs;
    rng_seed(&rs, c->seed);
    int below = 0, above = 0;
    for (int b = 0; b < c->resamples; b++) {
        long sa = 0, sb = 0, sn = 0;
        for (int k = 0; k < m; k++) {
            int g = used[rng_below(&rs, (uint64_t)m)];
            sa += ea[g];
            sb += eb[g];
            sn += nr[g];
        }
        /* A draw of units without reference words has no WER: count it as
         * the full set's (rare: only when most units are empty). */
        if (sn == 0) {
            sa = ta;
            sb = tb;
            sn = tn;
        }
        v[b] = 100.0 * (double)(sa - (err_b ? sb : 0)) / (double)sn;
        below += v[b] <= 0;
        above += v[b] >= 0;
    }
    qsort(v, (size_t)c->resamples, sizeof *v, cmp_double);
    double tail = (1 - c->level) / 2;
    r->value = 100.0 * (double)(ta - (err_b ? tb : 0)) / (double)tn;
    r->lo = quantile(v, c->resamples, tail);
    r->hi = quantile(v, c->resamples, 1 - tail);
    r->units = m;
    r->p = 1;
    if (err_b) {
        double p = 2.0 * (below < above ? below : above) / c->resamples;
        r->p = p > 1 ? 1 : p;
    }
    free(v);
    free(used);
done:
    free(ea);
    free(eb);
    free(nr);
    free(present);
    return rc;
}

void bootstrap_format_p(char *buf, size_t n, double p)
{
    if (p < 0.001)
        snprintf(buf, n, "p < 0.001");
    else
        snprintf(buf, n, "p = %.3f", p);
}
