/* combine.c — system combination; see combine.h. */
#include "recognizer/combine.h"

#include <string.h>

/* Whether RES gives WORD as its word I. */
static int gives(const pipeline_result *res, int i, const char *word)
{
    return i < res->nw && res->w[i].word && word && strcmp(res->w[i].word, word) == 0;
}

void results_combine(pipeline_result *keep, pipeline_result *const *other, int k, int n)
{
    for (int i = 0; i < n; i++) {
        /* Member 0 is KEEP, member j + 1 OTHER[j]. A rejection vetoes;
         * otherwise ties (and NaN) keep the earlier. */
        pipeline_result *best = &keep[i];
        for (int j = 0; j < k && !best->rejected; j++)
            if (other[j][i].rejected || other[j][i].conf > best->conf) best = &other[j][i];
        for (int w = 0; w < best->nw; w++) {
            const char *word = best->w[w].word;
            int agree = 0;
            double start = 0, end = 0;
            for (int j = -1; j < k; j++) {
                const pipeline_result *r = j < 0 ? &keep[i] : &other[j][i];
                if (!gives(r, w, word)) continue;
                agree++;
                start += r->w[w].start;
                end += r->w[w].end;
            }
            best->w[w].agree = (float)agree / (float)(k + 1);
            best->w[w].start = start / agree;
            best->w[w].end = end / agree;
        }
        /* A word ends where the next begins, at the latest (as one model's
         * times do: asr_model_search). */
        for (int w = 0; w + 1 < best->nw; w++)
            if (best->w[w].end > best->w[w + 1].start)
                best->w[w].end = best->w[w + 1].start > best->w[w].start ? best->w[w + 1].start
                                                                         : best->w[w].start;
        if (best == &keep[i]) continue;
        pipeline_result t = keep[i];
        keep[i] = *best;
        *best = t;
    }
}

void results_shift_times(pipeline_result *res, int n, double shift)
{
    for (int i = 0; i < n; i++)
        for (int w = 0; w < res[i].nw; w++) {
            res[i].w[w].start = res[i].w[w].start > shift ? res[i].w[w].start - shift : 0;
            res[i].w[w].end = res[i].w[w].end > shift ? res[i].w[w].end - shift : 0;
        }
}

void results_uncut_times(pipeline_result *res, int n, const audio_cuts *cuts)
{
    for (int i = 0; cuts && i < n; i++)
        for (int w = 0; w < res[i].nw; w++) {
            res[i].w[w].start = (float)audio_uncut_time(&cuts[i], res[i].w[w].start, 0);
            res[i].w[w].end = (float)audio_uncut_time(&cuts[i], res[i].w[w].end, 1);
        }
}
