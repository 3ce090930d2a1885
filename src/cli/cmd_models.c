/* cmd_models.c — `asr models`: the models --model NAME finds, where, and what
 * each is (recognizer/model_path.h). */
#include "base/error.h"
#include "base/json.h"
#include "base/numparse.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "recognizer/model.h"
#include "recognizer/model_path.h"
#include "recognizer/system.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char models_usage[] =
    "usage: asr models [--json]\n"
    "       asr models --model M --set KEY=VALUE [--set ...] --out M2\n"
    "       asr models --model M --combine M2 [--combine ...] [--pad-view MS] [--set K=V] --out S\n"
    "\n"
    "Lists the models `--model NAME` finds (asr decode, stream, eval, compare):\n"
    "each NAME.mdl of the search path, with its pipeline (read from the file),\n"
    "size and path. A NAME is looked up, first found first, in\n"
    "  1. each directory of $ASR_MODEL_PATH (colon-separated),\n"
    "  2. the source tree's models/, when asr runs uninstalled from its build tree,\n"
    "  3. the installed models (make install: $(pkgdatadir)/models, or the same\n"
    "     place under the prefix asr itself runs from).\n"
    "A model a directory before hides is marked 'hidden'. Without --model, asr\n"
    "decode and asr stream use the model named " MODEL_DEFAULT_NAME
    ": the first " MODEL_DEFAULT_NAME ".mdl; the\n"
    "shipped one is a system, the three shipped digits models combined.\n"
    "\n"
    "  --json         one JSON object on standard output, for scripts: search\n"
    "                 (dir, kind, exists), default (the file, or null) and\n"
    "                 models (name, path, pipeline, bytes, hidden, error)\n"
    "  --model M --set KEY=VALUE --out M2\n"
    "                 write M2: model M (a file or a name) with search settings\n"
    "                 stored, so every command decodes with them without flags:\n"
    "                 beam, lm_weight, word_penalty, confidence_scale,\n"
    "                 confidence_gap_scale, confidence_bias, reject_gap,\n"
    "                 reject_confidence, time_start_shift, time_end_shift (asr\n"
    "                 train --help describes them); M2 is written atomically and\n"
    "                 may not be M\n"
    "  --model M --combine M2 [--pad-view MS] [--set KEY=VALUE ...] --out S\n"
    "                 write S: a combined system, listed as 'combined', of M and the\n"
    "                 models M2 (--combine is repeatable) with a padded view of\n"
    "                 MS ms, stored whole in one file, as asr decode would\n"
    "                 combine them given the same options; asr decode, stream,\n"
    "                 eval, compare and the library recognise with --model S; S\n"
    "                 is read back before it is written. --set here gives the\n"
    "                 system's calibration of the words it keeps (confidence_scale,\n"
    "                 confidence_gap_scale, confidence_bias, confidence_agree_scale:\n"
    "                 the weight of the fraction of its members that give a word;\n"
    "                 asr calibrate on a stored system fits them)\n"
    "\nExamples:\n"
    "  asr models\n"
    "  ASR_MODEL_PATH=$HOME/models asr models --json | jq -r '.models[].name'\n"
    "  asr models --model digits-staged --set beam=32 --set time_end_shift=0.13 \\\n"
    "      --out mine.mdl\n"
    "  asr models --model digits-staged --pad-view 50 --combine digits-direct \\\n"
    "      --combine digits-staged-tdnn --out digits.mdl\n";

enum { O_JSON = 1, O_MODEL, O_SET, O_OUT, O_COMBINE, O_PAD_VIEW };

#define MAX_SETTINGS 32

static const cli_option models_options[] = {
    {"json", CLI_FLAG, NULL, O_JSON},        {"model", CLI_MODEL, NULL, O_MODEL},
    {"set", CLI_VALUE, NULL, O_SET},         {"out", CLI_OUTPUT, NULL, O_OUT},
    {"combine", CLI_MODEL, NULL, O_COMBINE}, {"pad-view", CLI_VALUE, NULL, O_PAD_VIEW}};

typedef struct {
    int json;
    const char *model, *out;
    const char *set[MAX_SETTINGS];
    int nset;
    const char *combine[SYSTEM_MAX_MODELS];
    int ncombine, pad_view_ms;
} models_cmd;

static int handle(void *ctx, int id, const char *v)
{
    models_cmd *c = ctx;
    if (id == O_JSON) c->json = 1;
    if (id == O_MODEL) c->model = v;
    if (id == O_OUT) c->out = v;
    if (id == O_COMBINE) {
        if (c->ncombine == SYSTEM_MAX_MODELS - 1)
            return asr_error("--combine: a system holds at most %d models", SYSTEM_MAX_MODELS);
        c->combine[c->ncombine++] = v;
    }
    if (id == O_PAD_VIEW) return parse_int("--pad-view", v, 1, 2000, &c->pad_view_ms);
    if (id == O_SET) {
        if (c->nset == MAX_SETTINGS) return asr_error("--set: at most %d settings", MAX_SETTINGS);
        c->set[c->nset++] = v;
    }
    return 0;
}

/* With --combine, --set gives the system's own calibration of its words
 * (recognizer/system.h): SET[0..N) into SP. */
static int system_calibration(const char *const *set, int n, asr_system_spec *sp)
{
    for (int i = 0; i < n; i++)
        if (asr_system_spec_set(sp, set[i]) < 0) return asr_error("--set %s", asr_last_error());
    return 0;
}

static void print_json(const model_search *s, const model_entry *e, int n, const char *def)
{
    printf("{\"search\": [");
    for (int i = 0; i < s->n; i++) {
        printf("%s{\"dir\": ", i ? ", " : "");
        json_write_string(stdout, s->dirs[i].path);
        printf(", \"kind\": ");
        json_write_string(stdout, model_dir_kind_name(s->dirs[i].kind));
        printf(", \"exists\": %s}", s->dirs[i].exists ? "true" : "false");
    }
    printf("], \"default\": ");
    if (def)
        json_write_string(stdout, def);
    else
        printf("null");
    printf(", \"models\": [");
    for (int i = 0; i < n; i++) {
        printf("%s{\"name\": ", i ? ", " : "");
        json_write_string(stdout, e[i].name);
        printf(", \"path\": ");
        json_write_string(stdout, e[i].path);
        printf(", \"pipeline\": ");
        if (e[i].pipeline)
            json_write_string(stdout, e[i].pipeline);
        else
            printf("null");
        printf(", \"bytes\": %lld, \"hidden\": %s, \"error\": ", e[i].bytes,
               e[i].hidden ? "true" : "false");
        if (e[i].error)
            json_write_string(stdout, e[i].error);
        else
            printf("null");
        printf("}");
    }
    printf("]}\n");
}

static void print_text(const model_search *s, const model_entry *e, int n, const char *def)
{
    printf("%-24s %-10s %8s  %s\n", "NAME", "PIPELINE", "MB", "PATH");
    for (int i = 0; i < n; i++)
        printf("%-24s %-10s %8.2f  %s%s%s\n", e[i].name, e[i].pipeline ? e[i].pipeline : "?",
               e[i].bytes / 1e6, e[i].path, e[i].hidden ? "  (hidden)" : "",
               def && !strcmp(def, e[i].path) ? "  (the default)" : "");
    if (n == 0) printf("(none)\n");
    printf("\nsearched:\n");
    for (int i = 0; i < s->n; i++)
        printf("  %s  (%s%s)\n", s->dirs[i].path, model_dir_kind_name(s->dirs[i].kind),
               s->dirs[i].exists ? "" : ", missing");
}

int cmd_models(int argc, char **argv)
{
    models_cmd c = {0};
    io_set io;
    io_set_init(&io);
    cli_spec spec = {"asr models",
                     models_usage,
                     models_options,
                     (int)(sizeof models_options / sizeof models_options[0]),
                     NULL,
                     handle,
                     &c,
                     0,
                     0,
                     &io,
                     NULL};
    char *ops[1];
    int n;
    int rc = cli_parse(&spec, argc, argv, ops, &n);
    if (rc != CLI_OK) {
        io_set_free(&io);
        return cli_exit_status(rc);
    }
    int system = c.ncombine || c.pad_view_ms;
    if (c.model || c.out || c.nset || system) {
        asr_system_spec sp = {.model = c.model,
                              .combine = c.combine,
                              .n_combine = c.ncombine,
                              .pad_view = c.pad_view_ms / 1000.0};
        if (!c.model || !c.out || !(c.nset || system) || c.json)
            rc = cli_usage_error(&spec, "--model, --set (or --combine, --pad-view) and --out go "
                                        "together (and without --json)");
        else if (system && system_calibration(c.set, c.nset, &sp) < 0)
            rc = cli_usage_error(&spec, asr_last_error());
        else if (system ? asr_system_store(&sp, &io, c.out) < 0
                        : asr_model_store_search(c.model, c.set, c.nset, &io, c.out) < 0) {
            fprintf(stderr, "asr models: %s\n", asr_last_error());
            rc = 1;
        }
        io_set_free(&io);
        return rc;
    }
    io_set_free(&io);
    int json = c.json;
    model_search s;
    model_entry *e;
    if (model_search_init(&s) < 0) {
        fprintf(stderr, "asr models: %s\n", asr_last_error());
        return 1;
    }
    if (model_path_list(&s, 1, &e, &n) < 0) {
        fprintf(stderr, "asr models: %s\n", asr_last_error());
        model_search_free(&s);
        return 1;
    }
    char *def = NULL;
    if (model_path_resolve(MODEL_DEFAULT_NAME, &def) < 0) def = NULL;
    (json ? print_json : print_text)(&s, e, n, def);
    int bad = 0;
    for (int i = 0; i < n; i++)
        if (e[i].error) {
            fprintf(stderr, "asr models: %s: %s\n", e[i].path, e[i].error);
            bad = 1;
        }
    free(def);
    model_entries_free(e, n);
    model_search_free(&s);
    return bad;
}
