/* pipeline.c — the table of pipelines; see pipeline.h. */
#include "pipelines/pipeline.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/suggest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const pipeline_ops pipeline_direct;
extern const pipeline_ops pipeline_staged;
extern const pipeline_ops pipeline_multitask;

const pipeline_ops *const pipeline_all[] = {&pipeline_direct, &pipeline_staged, &pipeline_multitask,
                                            NULL};

const pipeline_ops *pipeline_find(const char *name)
{
    const char *names[8];
    int n = 0;
    for (; pipeline_all[n] && n < 8; n++) {
        if (!strcmp(pipeline_all[n]->name, name)) return pipeline_all[n];
        names[n] = pipeline_all[n]->name;
    }
    suggest_error("pipeline", name, names, n, (int)sizeof names[0]);
    return NULL;
}

void pipeline_result_free(pipeline_result *r)
{
    for (int i = 0; i < r->nw; i++) free(r->w[i].word);
    free(r->w);
    free(r->words);
    free(r->units);
    r->words = r->units = NULL;
    r->w = NULL;
    r->nw = 0;
}

void pipeline_result_name_words(pipeline_result *r)
{
    r->conf = 1.0f;
    r->nw = 0;
    if (!r->w) return;
    for (const char *p = r->words ? r->words : ""; *p;) {
        size_t len = strcspn(p, " ");
        ctc_word *w = &r->w[r->nw++];
        w->word = xmalloc(len + 1);
        memcpy(w->word, p, len);
        w->word[len] = '\0';
        r->conf *= w->conf;
        p += len;
        p += *p == ' ';
    }
}

const pipeline_options pipeline_options_defaults = {NULL, NULL, 1.0f, 0.0f, 1,   NAN, NAN,
                                                    NAN,  NAN,  NAN,  NAN,  NAN, NAN};

void pipeline_options_fill(pipeline_options *o, const pipeline_options *from)
{
    if (o->beam <= 0) o->beam = from->beam;
    float *mine[] = {&o->lm_weight,      &o->word_penalty,      &o->conf_scale,
                     &o->conf_gap_scale, &o->conf_bias,         &o->conf_agree_scale,
                     &o->reject_gap,     &o->reject_confidence, &o->time_start_shift,
                     &o->time_end_shift};
    const float *theirs[] = {&from->lm_weight,        &from->word_penalty,
                             &from->conf_scale,       &from->conf_gap_scale,
                             &from->conf_bias,        &from->conf_agree_scale,
                             &from->reject_gap,       &from->reject_confidence,
                             &from->time_start_shift, &from->time_end_shift};
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
        if (isnan(*mine[i])) *mine[i] = *theirs[i];
}
