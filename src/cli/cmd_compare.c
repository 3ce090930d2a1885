/* cmd_compare.c — `asr compare`: several models on the same splits, one report. */
#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/log.h"
#include "report/reports.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/eval_args.h"
#include "recognizer/evaluate.h"
#include "report/report_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char compare_usage[] =
    "usage: asr compare --data DIR --out DIR [options] NAME=MODEL|HYP_DIR...\n"
    "\n"
    "Evaluates every model on DIR/train, train_dev, dev, test (as `asr eval`) and\n"
    "writes one report: OUT/report.md, OUT/report.json and OUT/report.html (self-\n"
    "contained, inline SVG: WER per split and model, WER per speaker, training\n"
    "curves from each model's log.tsv, WER against training-set size). Among the\n"
    "models that meet every threshold it names the best by dev WER (when none\n"
    "does, the lowest dev WER and what it misses). A directory HYP_DIR is scored\n"
    "instead of decoded: HYP_DIR/SPLIT.txt (Kaldi text), as `asr eval --hyps`\n"
    "(another recognizer's output, or several models' parts).\n"
    "\n"
    "  --bayes PCT  --max-rtf X  --max-latency-ms X  --max-size-mb X   as asr eval\n"
    "  --curve TSV          learning-curve points: lines 'SERIES SIZE WER'\n"
    "  --curve-split NAME   the split those WERs are on (default dev)\n"
    "  --title TEXT         report title\n"
    "  --splits A,B,..  --worst N  --threads N   as asr eval\n"
    "  --beam N --lm-weight X --word-penalty X   search options for every model;\n"
    "                       what is not given comes from each model file\n" CLI_QUIET_HELP
    "\nExamples:\n"
    "  asr compare --data data/digits --out exp/cmp \\\n"
    "      staged=exp/staged/final.mdl direct=exp/direct/final.mdl\n"
    "  asr compare --data data/digits --out exp/cmp --max-rtf 0.1 --title Digits \\\n"
    "      mine=exp/staged/final.mdl theirs=hyps/other\n";

enum { O_CURVE = 1, O_CURVE_SPLIT, O_TITLE };

static const cli_option compare_options[] = {
    {"curve", CLI_INPUT, NULL, O_CURVE},
    {"curve-split", CLI_VALUE, NULL, O_CURVE_SPLIT},
    {"title", CLI_VALUE, NULL, O_TITLE},
    CLI_EVAL_OPTIONS,
    CLI_SEARCH_OPTIONS,
};

#define MAX_MODELS 64

typedef struct {
    eval_args e;
    const char *curve, *curve_split, *title;
    char *names[MAX_MODELS];
    const char *paths[MAX_MODELS];
    int nm;
    eval_model models[MAX_MODELS];
    int evaluated;
    curve_point *pts;
    int npts;
} compare_cmd;

static int handle(void *ctx, int id, const char *v)
{
    compare_cmd *c = ctx;
    if (id >= E_DATA) return eval_args_handle(&c->e, id, v);
    const char **dst[] = {NULL, &c->curve, &c->curve_split, &c->title};
    *dst[id] = v;
    return 0;
}

/* NAME=MODEL operands; a name becomes a file name (errors-NAME.tsv) in OUT,
 * a model (or HYP_DIR) an input, which no output may replace: -1 on a bad
 * operand (a usage error), 1 when a model is an output. */
static int parse_models(compare_cmd *c, char **operands, int n)
{
    for (int k = 0; k < n; k++) {
        const char *a = operands[k], *eq = strchr(a, '=');
        if (!eq || eq == a || !eq[1]) return asr_error("'%s': expected NAME=MODEL", a);
        c->names[c->nm] = xstrdup(a);
        c->names[c->nm][eq - a] = '\0';
        c->paths[c->nm] = eq + 1;
        const char *name = c->names[c->nm++];
        int dup = 0;
        for (int j = 0; j < c->nm - 1; j++) dup |= !strcmp(c->names[j], name);
        if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") || dup)
            return asr_error("model name '%s': %s", name,
                             dup ? "given twice" : "not a plain name (no '/', '.' or '..')");
        /* A directory is hypotheses (compare()); anything else a model: a
         * file, or a name on the model search path. */
        if (!path_is_dir(c->paths[k]) && !(c->paths[k] = cli_model_path(c->paths[k]))) return 1;
        if (io_set_input(&c->e.io, c->paths[k]) < 0) return 1;
    }
    return 0;
}

static int compare(compare_cmd *c, const asr_options *conf, int argc, char **argv)
{
    eval_args *e = &c->e;
    if (c->curve && report_read_curve(c->curve, &c->pts, &c->npts) < 0) return -1;
    for (; c->evaluated < c->nm; c->evaluated++) {
        int k = c->evaluated;
        /* A directory is hypotheses (HYP_DIR/SPLIT.txt, as asr eval --hyps): a
         * system outside asr, or models that each decoded part of a split. */
        struct stat st;
        int hyps = stat(c->paths[k], &st) == 0 && S_ISDIR(st.st_mode);
        if ((hyps ? evaluate_hyps(&e->io, c->names[k], c->paths[k], e->data, e->splits, e->nsplits,
                                  &c->models[k])
                  : evaluate_model(&e->io, c->names[k], c->paths[k], &conf->search, e->data,
                                   e->splits, e->nsplits, &c->models[k])) < 0)
            return asr_error("%s: %s", c->names[k], asr_last_error());
        if (c->models[k].n == 0) {
            eval_model_free(&c->models[k]);
            return asr_error("%s: %s: none of the splits %s", c->names[k], c->paths[k],
                             hyps ? "has a hypotheses file SPLIT.txt" : "is in --data");
        }
    }
    report_spec spec;
    eval_args_spec(e, argc, argv, &spec);
    spec.title = c->title;
    spec.pts = c->pts;
    spec.npts = c->npts;
    spec.curve_split = c->curve_split;
    eval_write_markdown(stdout, c->models, c->nm, &spec);
    int rc = eval_write_reports(&e->io, e->out, c->models, c->nm, &spec);
    free((char *)spec.command);
    if (rc == 0)
        asr_log(ASR_LOG_INFO, "asr compare: wrote %s/report.md, report.json, report.html", e->out);
    return rc;
}

static int run(compare_cmd *c, const cli_spec *spec, asr_options *conf, int argc, char **argv)
{
    char *operands[MAX_MODELS];
    int n;
    int rc = cli_parse(spec, argc, argv, operands, &n);
    if (rc != CLI_OK) return cli_exit_status(rc);
    if (!c->e.data || !c->e.out || n == 0)
        return cli_usage_error(spec, "--data, --out and at least one NAME=MODEL are required");
    rc = parse_models(c, operands, n);
    if (rc < 0) return cli_usage_error(spec, "%s", asr_last_error());
    cli_apply_threads(eval_args_threads(conf->threads));
    if (rc > 0 || eval_args_finish(&c->e, c->names, c->nm) < 0 ||
        compare(c, conf, argc, argv) < 0) {
        fprintf(stderr, "asr compare: %s\n", asr_last_error());
        return 1;
    }
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    asr_options conf;
    options_init(&conf);
    compare_cmd c;
    memset(&c, 0, sizeof c);
    eval_args_init(&c.e);
    c.curve_split = "dev";
    c.title = "asr: staged vs direct";
    cli_spec spec = {"asr compare",
                     compare_usage,
                     compare_options,
                     (int)(sizeof compare_options / sizeof compare_options[0]),
                     &conf,
                     handle,
                     &c,
                     0,
                     MAX_MODELS,
                     &c.e.io,
                     NULL};
    int rc = run(&c, &spec, &conf, argc, argv);
    for (int k = 0; k < c.evaluated; k++) eval_model_free(&c.models[k]);
    for (int k = 0; k < c.nm; k++) free(c.names[k]);
    for (int i = 0; i < c.npts; i++) free(c.pts[i].series);
    free(c.pts);
    eval_args_free(&c.e);
    options_free(&conf);
    return rc;
}
