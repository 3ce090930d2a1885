/* pipeline.c — the table of pipelines; see pipeline.h. */
#include "pipelines/pipeline.h"

#include "base/alloc.h"
#include "base/error.h"

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
    for (int i = 0; pipeline_all[i]; i++)
        if (!strcmp(pipeline_all[i]->name, name)) return pipeline_all[i];
    return NULL;
}

void pipeline_result_free(pipeline_result *r)
{
    free(r->words);
    free(r->units);
    r->words = r->units = NULL;
}

const pipeline_options pipeline_options_defaults = {NULL, NULL, 1.0f, 0.0f, 1};

void pipeline_options_fill(pipeline_options *o, const pipeline_options *from)
{
    if (o->beam <= 0) o->beam = from->beam;
    if (isnan(o->lm_weight)) o->lm_weight = from->lm_weight;
    if (isnan(o->word_penalty)) o->word_penalty = from->word_penalty;
}

char *pipeline_options_format(const pipeline_options *o)
{
    char buf[128];
    snprintf(buf, sizeof buf, "beam=%d\nlm_weight=%.9g\nword_penalty=%.9g\n", o->beam, o->lm_weight,
             o->word_penalty);
    return xstrdup(buf);
}

int pipeline_options_parse(const char *text, pipeline_options *o)
{
    char *copy = xstrdup(text), *save = NULL;
    int rc = 0;
    for (char *l = strtok_r(copy, "\n", &save); l && rc == 0; l = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(l, '='), *end;
        if (!eq) {
            rc = asr_error("search settings: '%s' is not key=value", l);
            break;
        }
        *eq = 0;
        /* TEXT is a model file's section: the ranges the configuration
         * allows (run_config.c), which also keep the conversions defined. */
        double v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end || !isfinite(v))
            rc = asr_error("search settings: %s = '%s' is not a number", l, eq + 1);
        else if (!strcmp(l, "beam") && v >= 1 && v <= PIPELINE_MAX_BEAM && v == floor(v))
            o->beam = (int)v;
        else if (!strcmp(l, "lm_weight") && v >= -100 && v <= 100)
            o->lm_weight = (float)v;
        else if (!strcmp(l, "word_penalty") && v >= -1000 && v <= 1000)
            o->word_penalty = (float)v;
        else
            rc = asr_error("search settings: unknown or bad '%s = %s'", l, eq + 1);
    }
    free(copy);
    return rc;
}
