/* ctc_loss.c — CTC forward-backward in log space; the math is in ctc_loss.h. */
#include "nn/ctc_loss.h"

#include "base/alloc.h"
#include "nn/softmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double lse2(double a, double b)
{
    if (a == -INFINITY) return b;
    if (b == -INFINITY) return a;
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

int ctc_min_frames(const int *labels, int L)
{
    int n = L;
    for (int i = 1; i < L; i++) n += labels[i] == labels[i - 1];
    return n;
}

double ctc_loss(const float *logits, int T, int V, const int *labels, int L, float *grad,
                float scale)
{
    if (T <= 0 || ctc_min_frames(labels, L) > T) {
        if (grad) memset(grad, 0, (size_t)(T > 0 ? T : 0) * V * sizeof(float));
        return INFINITY;
    }
    int S = 2 * L + 1;
    float *logp = xmalloc((size_t)T * V * sizeof(float));
    log_softmax_forward(logp, logits, T, V);
    double *a = xmalloc((size_t)T * S * sizeof(double));
    double *b = xmalloc((size_t)T * S * sizeof(double));
    /* l'_s: blank at even s, labels[s/2] at odd s. */
#define SYM(s)      ((s) % 2 ? labels[(s) / 2] : 0)
#define CAN_SKIP(s) ((s) % 2 && (s) >= 2 && labels[(s) / 2] != labels[(s) / 2 - 1])
    for (int s = 0; s < S; s++) a[s] = -INFINITY;
    a[0] = logp[0];
    if (S > 1) a[1] = logp[SYM(1)];
    for (int t = 1; t < T; t++) {
        const double *ap = a + (size_t)(t - 1) * S;
        double *at = a + (size_t)t * S;
        const float *lp = logp + (size_t)t * V;
        for (int s = 0; s < S; s++) {
            double v = ap[s];
            if (s >= 1) v = lse2(v, ap[s - 1]);
            if (CAN_SKIP(s)) v = lse2(v, ap[s - 2]);
            at[s] = v == -INFINITY ? v : v + lp[SYM(s)];
        }
    }
    const double *aT = a + (size_t)(T - 1) * S;
    double logP = S > 1 ? lse2(aT[S - 1], aT[S - 2]) : aT[0];
    if (grad) {
        /* b_t(s): log prob of the rest of the labelling after frame t, given
         * state s at t (frame t's emission excluded). */
        double *bT = b + (size_t)(T - 1) * S;
        for (int s = 0; s < S; s++) bT[s] = s >= S - 2 ? 0.0 : -INFINITY;
        for (int t = T - 2; t >= 0; t--) {
            double *bt = b + (size_t)t * S;
            const double *bn = b + (size_t)(t + 1) * S;
            const float *lp = logp + (size_t)(t + 1) * V;
            for (int s = 0; s < S; s++) {
                double v = bn[s] + lp[SYM(s)];
                if (s + 1 < S) v = lse2(v, bn[s + 1] + lp[SYM(s + 1)]);
                if (s + 2 < S && CAN_SKIP(s + 2)) v = lse2(v, bn[s + 2] + lp[SYM(s + 2)]);
                bt[s] = v;
            }
        }
        for (int t = 0; t < T; t++) {
            float *g = grad + (size_t)t * V;
            const float *lp = logp + (size_t)t * V;
            for (int v = 0; v < V; v++) g[v] = (float)exp(lp[v]);
            const double *at = a + (size_t)t * S, *bt = b + (size_t)t * S;
            for (int s = 0; s < S; s++) {
                double occ = at[s] + bt[s] - logP;
                if (occ > -700) g[SYM(s)] -= (float)exp(occ);
            }
            for (int v = 0; v < V; v++) g[v] *= scale;
        }
    }
#undef SYM
#undef CAN_SKIP
    free(a);
    free(b);
    free(logp);
    return -logP;
}
