/* multitask_loss.c — the masked, weighted multi-head loss; see multitask_loss.h. */
#include "nn/multitask_loss.h"

#include "base/alloc.h"
#include "base/error.h"
#include "nn/ce_loss.h"
#include "nn/ctc_loss.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

mt_head multitask_single(int V)
{
    return (mt_head){"out", 0, V, MT_CTC, 1.0f};
}

int multitask_check(const mt_head *heads, int n, int V)
{
    if (n < 1 || n > MT_MAX_HEADS)
        return asr_error("%d output heads: between 1 and %d are supported", n, MT_MAX_HEADS);
    for (int h = 0; h < n; h++) {
        const mt_head *a = &heads[h];
        if (a->width < (a->loss == MT_CTC ? 2 : 1) || a->offset < 0 || a->offset + a->width > V)
            return asr_error("head %s: columns %d..%d do not fit %d outputs%s", a->name, a->offset,
                             a->offset + a->width - 1, V,
                             a->loss == MT_CTC ? " (CTC needs a blank and a symbol)" : "");
        if (!isfinite(a->weight) || a->weight < 0)
            return asr_error("head %s: weight %g: expected a finite number >= 0", a->name,
                             a->weight);
        for (int k = 0; k < h; k++) {
            const mt_head *b = &heads[k];
            if (a->offset < b->offset + b->width && b->offset < a->offset + a->width)
                return asr_error("heads %s and %s share output columns", b->name, a->name);
        }
    }
    return 0;
}

double multitask_loss(const mt_head *heads, int nheads, const float *logits, int T, int V,
                      const int *const *labels, const int *lens, float *grad, float scale,
                      double *head_loss)
{
    if (grad) memset(grad, 0, (size_t)(T > 0 ? T : 0) * V * sizeof(float));
    int maxw = 1;
    for (int h = 0; h < nheads; h++)
        if (heads[h].width > maxw) maxw = heads[h].width;
    size_t rows = (size_t)(T > 0 ? T : 0) + 1;
    float *slice = xmalloc(rows * maxw * sizeof(float));
    float *gs = grad ? xmalloc(rows * maxw * sizeof(float)) : NULL;
    double total = 0;
    int unfit = 0;
    for (int h = 0; h < nheads; h++) {
        const mt_head *hd = &heads[h];
        int w = hd->width;
        if (!labels[h] || hd->weight == 0) {
            if (head_loss) head_loss[h] = 0;
            continue;
        }
        /* The head's columns as a contiguous [T][w] array. */
        for (int t = 0; t < T; t++)
            memcpy(slice + (size_t)t * w, logits + (size_t)t * V + hd->offset,
                   (size_t)w * sizeof(float));
        float hs = scale * hd->weight;
        double l;
        if (hd->loss == MT_CTC)
            l = ctc_loss(slice, T, w, labels[h], lens[h], gs, hs);
        else if (lens[h] == T)
            l = ce_loss(slice, T, w, labels[h], gs, hs);
        else
            l = INFINITY;
        if (head_loss) head_loss[h] = l;
        if (l == INFINITY) {
            unfit = 1;
            continue;
        }
        total += (double)hd->weight * l;
        if (grad)
            for (int t = 0; t < T; t++)
                memcpy(grad + (size_t)t * V + hd->offset, gs + (size_t)t * w,
                       (size_t)w * sizeof(float));
    }
    free(slice);
    free(gs);
    if (unfit && !isnan(total)) {
        if (grad) memset(grad, 0, (size_t)(T > 0 ? T : 0) * V * sizeof(float));
        total = INFINITY;
    }
    return total;
}
