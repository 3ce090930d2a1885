/* cmd_eval.c — `asr eval`: one model (or hypothesis files) over the splits. */
#include "base/error.h"
#include "base/parallel.h"
#include "report/reports.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/eval_args.h"
#include "recognizer/evaluate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char eval_usage[] =
    "usage: asr eval --model FILE|NAME --data DIR [options]\n"
    "       asr eval --hyps HYP_DIR --data DIR [options]\n"
    "       asr eval --tally ERRORS.tsv\n"
    "\n"
    "Evaluates a model on DIR/train, DIR/train_dev, DIR/dev and DIR/test (those that\n"
    "exist): WER with S/D/I, CER, PER (staged and multitask), sentence error rate,\n"
    "real-time factor, latency per utterance (median, 95th percentile), each by the\n"
    "wall clock and in CPU time, and model size;\n"
    "WER per speaker of utt2spk (a table per split; 'speakers' in report.json); how\n"
    "good the word confidences are: AUC of right vs wrong words, calibration error\n"
    "over 10 bins (a reliability diagram in report.html), the WER once the 5% or 10%\n"
    "least confident words are dropped ('confidence' in report.json). With\n"
    "--hyps, scores HYP_DIR/SPLIT.txt (Kaldi text) instead of decoding. Prints a\n"
    "Markdown report; with --out writes report.md, report.json and errors.tsv (the\n"
    "worst utterances with audio path and transcripts, and an empty 'category'\n"
    "column to tag; --tally counts the tags).\n"
    "\n"
    "  --splits A,B,..      splits to evaluate (default train,train_dev,dev,test)\n"
    "  --name NAME          the model's name in the report (default: its directory)\n"
    "  --bayes PCT          human-level (Bayes) error estimate: decompose the errors into\n"
    "                       avoidable bias, variance, data mismatch, over-tuning to dev\n"
    "  --max-rtf X  --max-latency-ms X  --max-size-mb X   satisficing thresholds on\n"
    "                       the real-time factor, the 95th percentile of latency and\n"
    "                       the model file's size; time is judged in CPU time, which\n"
    "                       a loaded machine does not stretch as it does wall-clock\n"
    "                       time. The model chosen (asr compare) is the lowest dev WER\n"
    "                       within every threshold, else the lowest with its misses\n"
    "  --out DIR            write the report files there\n"
    "  --worst N            worst utterances per split in errors.tsv (default 20)\n"
    "  --beam N --lm-weight X --word-penalty X --lexicon F --lm F   search options\n"
    "                       (what is not given comes from the model file)\n"
    "  --threads N          threads each utterance is recognised on (default 1: its\n"
    "                       CPU time is then the model's cost alone)\n"
    "  --set KEY=VALUE      search settings\n" CLI_QUIET_HELP "\nExamples:\n"
    "  asr eval --model exp/staged/final.mdl --data data/digits\n"
    "  asr eval --model exp/staged/final.mdl --data data/digits --bayes 0 \\\n"
    "      --max-rtf 0.1 --max-latency-ms 100 --out exp/staged/report\n"
    "  asr eval --tally exp/staged/report/errors.tsv\n";

enum { O_MODEL = 1, O_HYPS, O_NAME, O_TALLY };

static const cli_option eval_options[] = {
    {"model", CLI_MODEL, NULL, O_MODEL},
    {"hyps", CLI_INPUT, NULL, O_HYPS},
    {"name", CLI_VALUE, NULL, O_NAME},
    {"tally", CLI_INPUT, NULL, O_TALLY},
    CLI_EVAL_OPTIONS,
    CLI_SEARCH_OPTIONS,
};

typedef struct {
    eval_args e;
    const char *model, *hyps, *name, *tally;
    char name_buf[256];
} eval_cmd;

static int handle(void *ctx, int id, const char *v)
{
    eval_cmd *c = ctx;
    if (id >= E_DATA) return eval_args_handle(&c->e, id, v);
    const char **dst[] = {NULL, &c->model, &c->hyps, &c->name, &c->tally};
    *dst[id] = v;
    return 0;
}

/* The model's name in the report: its experiment directory's. */
static const char *default_name(eval_cmd *c)
{
    const char *p = c->model ? c->model : c->hyps;
    const char *slash = strrchr(p, '/');
    if (slash && slash > p) {
        const char *s2 = slash - 1;
        while (s2 > p && *s2 != '/') s2--;
        if (*s2 == '/') s2++;
        snprintf(c->name_buf, sizeof c->name_buf, "%.*s", (int)(slash - s2), s2);
    } else {
        snprintf(c->name_buf, sizeof c->name_buf, "%s", p);
    }
    return c->name_buf;
}

static int evaluate(eval_cmd *c, const char *name, const asr_options *conf, int argc, char **argv)
{
    eval_args *e = &c->e;
    eval_model m;
    /* Under MPI the ranks share the decoding; rank 0 scores and reports,
     * and scores --hyps alone. */
    if (!c->model && par_rank() != 0) return 0;
    int r = c->model ? evaluate_model(&e->io, name, c->model, &conf->search, e->data, e->splits,
                                      e->nsplits, &m)
                     : evaluate_hyps(&e->io, name, c->hyps, e->data, e->splits, e->nsplits, &m);
    if (r < 0) return -1;
    if (par_rank() != 0) {
        eval_model_free(&m);
        return 0;
    }
    if (m.n == 0) {
        eval_model_free(&m);
        return asr_error("no split of %s found", e->data);
    }
    report_spec spec;
    eval_args_spec(e, argc, argv, &spec);
    spec.title = name;
    eval_write_markdown(stdout, &m, 1, &spec);
    r = e->out ? eval_write_reports(&e->io, e->out, &m, 1, &spec) : 0;
    free((char *)spec.command);
    eval_model_free(&m);
    return r;
}

static int run(eval_cmd *c, const cli_spec *spec, asr_options *conf, int argc, char **argv)
{
    char *operands[1];
    int n;
    int rc = cli_parse(spec, argc, argv, operands, &n);
    if (rc != CLI_OK) return cli_exit_status(rc);
    if (c->tally && par_rank() != 0) return 0; /* rank 0 prints it */
    if (c->tally) {
        if (eval_tally(c->tally, stdout) == 0) return 0;
        fprintf(stderr, "asr eval: %s\n", asr_last_error());
        return 1;
    }
    if (!c->model == !c->hyps || !c->e.data)
        return cli_usage_error(spec, "--data and one of --model or --hyps are required");
    cli_apply_threads(eval_args_threads(conf->threads));
    char *name = (char *)(c->name ? c->name : default_name(c));
    if (eval_args_finish(&c->e, &name, 1) < 0 || evaluate(c, name, conf, argc, argv) < 0) {
        fprintf(stderr, "asr eval: %s\n", asr_last_error());
        return 1;
    }
    return 0;
}

int cmd_eval(int argc, char **argv)
{
    asr_options conf;
    options_init(&conf);
    eval_cmd c;
    memset(&c, 0, sizeof c);
    eval_args_init(&c.e);
    cli_spec spec = {
        "asr eval", eval_usage, eval_options, (int)(sizeof eval_options / sizeof eval_options[0]),
        &conf,      handle,     &c,           0,
        0,          &c.e.io,    NULL};
    int rc = run(&c, &spec, &conf, argc, argv);
    eval_args_free(&c.e);
    options_free(&conf);
    return rc;
}
