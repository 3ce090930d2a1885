/* combine.c — system combination; see combine.h. */
#include "recognizer/combine.h"

void results_combine(pipeline_result *keep, pipeline_result *other, int n)
{
    for (int i = 0; i < n; i++) {
        /* A rejection vetoes; otherwise ties (and NaN) keep the first. */
        if (keep[i].rejected || !(other[i].rejected || other[i].conf > keep[i].conf)) continue;
        pipeline_result t = keep[i];
        keep[i] = other[i];
        other[i] = t;
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
