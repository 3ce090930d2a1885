/* ce_loss.c — frame cross-entropy; the math is in ce_loss.h. */
#include "nn/ce_loss.h"

#include "base/alloc.h"
#include "nn/softmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double ce_loss(const float *logits, int T, int V, const int *labels, float *grad, float scale)
{
    for (int t = 0; t < T; t++)
        if (labels[t] < -1 || labels[t] >= V) {
            if (grad) memset(grad, 0, (size_t)T * V * sizeof(float));
            return NAN;
        }
    float *logp = xmalloc(((size_t)T + 1) * V * sizeof(float));
    log_softmax_forward(logp, logits, T, V);
    double loss = 0;
    for (int t = 0; t < T; t++) {
        const float *lp = logp + (size_t)t * V;
        if (labels[t] >= 0) loss -= lp[labels[t]];
        if (!grad) continue;
        float *g = grad + (size_t)t * V;
        if (labels[t] < 0) {
            memset(g, 0, (size_t)V * sizeof(float));
            continue;
        }
        for (int v = 0; v < V; v++) g[v] = (float)exp(lp[v]);
        g[labels[t]] -= 1.0f;
        for (int v = 0; v < V; v++) g[v] *= scale;
    }
    free(logp);
    return loss;
}
