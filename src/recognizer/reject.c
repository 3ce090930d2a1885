/* reject.c — calibration and rejection of results; see reject.h. */
#include "recognizer/reject.h"

#include <math.h>
#include <stdlib.h>

float reject_word_confidence(const pipeline_options *s, float c, float gap, float agree)
{
    if (isnan(s->conf_scale) || s->conf_scale == 0) return c; /* no calibration */
    double x = c < 1e-4f ? 1e-4 : c > 1 - 1e-4f ? 1 - 1e-4 : c;
    double z = s->conf_scale * log(x / (1 - x)) + (isnan(s->conf_bias) ? 0 : s->conf_bias) +
               (isnan(s->conf_gap_scale) ? 0 : s->conf_gap_scale * gap) +
               (isnan(s->conf_agree_scale) ? 0 : s->conf_agree_scale * agree);
    return (float)(1 / (1 + exp(-z)));
}

int reject_active(const pipeline_options *s)
{
    return s->reject_gap > 0 || s->reject_confidence > 0;
}

int reject_decide(const pipeline_options *s, float gap, float conf)
{
    return (s->reject_gap > 0 && gap > s->reject_gap) ||
           (s->reject_confidence > 0 && conf < s->reject_confidence);
}

void reject_calibrate(const pipeline_options *s, pipeline_result *r)
{
    double conf = 1;
    for (int i = 0; i < r->nw; i++) {
        r->w[i].conf = reject_word_confidence(s, r->w[i].conf, r->w[i].gap, r->w[i].agree);
        conf *= r->w[i].conf;
    }
    r->conf = (float)conf;
}

void reject_apply(const pipeline_options *s, pipeline_result *r)
{
    reject_calibrate(s, r);
    r->rejected = r->words && *r->words && reject_decide(s, r->gap, r->conf);
    if (!r->rejected) return;
    for (int i = 0; i < r->nw; i++) free(r->w[i].word);
    r->nw = 0;
    r->words[0] = '\0';
}
