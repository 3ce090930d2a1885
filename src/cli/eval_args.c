/* eval_args.c — see eval_args.h. */
#include "cli/eval_args.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/numparse.h"
#include "base/parallel.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void eval_args_init(eval_args *a)
{
    memset(a, 0, sizeof *a);
    a->worst = 20;
    a->bayes = -1;
    a->lock.fd = -1;
    io_set_init(&a->io);
}

static int parse_splits(eval_args *a, const char *v)
{
    free(a->splits_buf);
    a->splits_buf = xstrdup(v);
    a->nsplits = 0;
    char *save = NULL;
    for (char *t = strtok_r(a->splits_buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (a->nsplits == EVAL_MAX_SPLITS)
            return asr_error("--splits: at most %d splits", EVAL_MAX_SPLITS);
        a->splits[a->nsplits++] = t;
    }
    return a->nsplits ? 0 : asr_error("--splits: no split named");
}

int eval_args_handle(eval_args *a, int id, const char *v)
{
    switch (id) {
    case E_DATA:
        a->data = v;
        return 0;
    case E_OUT:
        a->out = v;
        return 0;
    case E_SPLITS:
        return parse_splits(a, v);
    case E_WORST:
        return parse_int("--worst", v, 0, 1000000, &a->worst);
    case E_BAYES:
        return parse_double("--bayes", v, 0, 100, &a->bayes);
    case E_MAX_RTF:
        return parse_double("--max-rtf", v, 0, 1e6, &a->t.max_rtf);
    case E_MAX_LATENCY:
        return parse_double("--max-latency-ms", v, 0, 1e9, &a->t.max_latency_ms);
    case E_MAX_SIZE:
        return parse_double("--max-size-mb", v, 0, 1e9, &a->t.max_size_mb);
    }
    return asr_error("internal: option %d", id);
}

int eval_args_finish(eval_args *a, char *const *names, int nm)
{
    static char *def[] = {"train", "train_dev", "dev", "test"};
    if (a->nsplits == 0)
        for (a->nsplits = 0; a->nsplits < 4; a->nsplits++) a->splits[a->nsplits] = def[a->nsplits];
    if (a->out && eval_reports_declare(&a->io, a->out, names, nm) < 0) return -1;
    /* Under MPI rank 0 alone writes the reports (recognizer/evaluate.h). */
    return a->out && par_rank() == 0 ? dir_lock_acquire(&a->lock, a->out) : 0;
}

void eval_args_spec(const eval_args *a, int argc, char *const *argv, report_spec *r)
{
    report_spec_init(r);
    r->t = a->t;
    r->bayes = a->bayes;
    r->worst = a->worst;
    r->data = a->data;
    r->when = time(NULL);
    char *args = report_command_line(argc, argv);
    char *cmd = xmalloc(strlen(args) + 8);
    sprintf(cmd, "asr %s", args);
    free(args);
    r->command = cmd;
}

void eval_args_free(eval_args *a)
{
    dir_lock_release(&a->lock);
    io_set_free(&a->io);
    free(a->splits_buf);
}

int eval_args_threads(int threads)
{
    return threads > 0 ? threads : 1;
}
