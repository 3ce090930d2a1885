/* pitch.c — see pitch.h. */
#include "signal/pitch.h"

#include "base/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_HZ = 40, MAX_HZ = 600 };

void pitch_tally_init(pitch_tally *t)
{
    memset(t, 0, sizeof *t);
}

/* The pitch (Hz) of the frame at S (W samples, the last LMAX of them only
 * shifted in), 0 when it is not voiced. R: LMAX + 1 scratch values. */
static double frame_pitch(const float *s, int w, int lmin, int lmax, int rate, double *r)
{
    int len = w - lmax; /* the products' span */
    double best = 0;
    for (int l = lmin; l <= lmax; l++) {
        double xy = 0, xx = 0, yy = 0;
        for (int i = 0; i < len; i++) {
            xy += (double)s[i] * s[i + l];
            xx += (double)s[i] * s[i];
            yy += (double)s[i + l] * s[i + l];
        }
        r[l] = xy / sqrt(xx * yy + 1e-20);
        if (r[l] > best) best = r[l];
    }
    if (best < 0.6) return 0;
    for (int l = lmin + 1; l < lmax; l++) {
        if (r[l] < 0.9 * best || r[l] < r[l - 1] || r[l] < r[l + 1]) continue;
        /* The peak of the parabola through the three correlations: the
         * period between samples (300 Hz at 8 kHz is 26.7 samples). */
        double den = r[l - 1] - 2 * r[l] + r[l + 1];
        double d = den < 0 ? 0.5 * (r[l - 1] - r[l + 1]) / den : 0;
        return rate / (l + d);
    }
    return 0;
}

void pitch_tally_add(pitch_tally *t, const float *x, size_t n, int rate, int max_frames)
{
    int w = rate / 25, hop = rate / 100, lmin = rate / MAX_HZ, lmax = rate / MIN_HZ;
    if (hop < 1 || lmin < 1 || (size_t)w > n || max_frames <= 0) return;
    size_t nf = (n - (size_t)w) / (size_t)hop + 1;
    if (nf > (size_t)max_frames) nf = (size_t)max_frames;
    double *e = xmalloc(nf * sizeof *e), emax = 0;
    for (size_t f = 0; f < nf; f++) {
        e[f] = 0;
        for (int i = 0; i < w; i++) e[f] += (double)x[f * hop + i] * x[f * hop + i];
        if (e[f] > emax) emax = e[f];
    }
    double *r = xmalloc(((size_t)lmax + 1) * sizeof *r);
    for (size_t f = 0; f < nf; f++) {
        if (e[f] < emax * 0.01 || e[f] <= 0) continue;
        double hz = frame_pitch(x + f * hop, w, lmin, lmax, rate, r);
        int bin = (int)lround(hz);
        if (bin < MIN_HZ || bin > MAX_HZ) continue;
        t->count[bin]++;
        t->frames++;
    }
    free(r);
    free(e);
}

double pitch_tally_median(const pitch_tally *t)
{
    if (t->frames == 0) return 0;
    int half = (t->frames + 1) / 2, seen = 0;
    for (int hz = 0; hz <= MAX_HZ; hz++)
        if ((seen += t->count[hz]) >= half) return hz;
    return MAX_HZ;
}
