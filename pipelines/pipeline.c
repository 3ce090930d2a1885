/* pipeline.c — the table of pipelines; see pipeline.h. */
#include "pipeline.h"

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
