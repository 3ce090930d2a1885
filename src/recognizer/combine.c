/* combine.c — system combination; see combine.h. */
#include "recognizer/combine.h"

void results_combine(pipeline_result *keep, pipeline_result *other, int n)
{
    for (int i = 0; i < n; i++) {
        if (!(other[i].conf > keep[i].conf)) continue; /* ties (and NaN) keep the first */
        pipeline_result t = keep[i];
        keep[i] = other[i];
        other[i] = t;
    }
}
