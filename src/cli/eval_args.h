/* eval_args.h — the options `asr eval` and `asr compare` share: the data
 * directory and its splits, the report directory, the Bayes error estimate,
 * the satisficing thresholds and how many of the worst utterances to list. */
#ifndef ASR_CLI_EVAL_ARGS_H
#define ASR_CLI_EVAL_ARGS_H

#include "base/out_dir.h"
#include "cli/args.h"
#include "recognizer/eval.h"
#include "report/reports.h"

#define EVAL_MAX_SPLITS 16

typedef struct {
    const char *data, *out;
    char *splits_buf;
    char *splits[EVAL_MAX_SPLITS];
    int nsplits;
    int worst;
    double bayes; /* < 0: not given */
    eval_thresholds t;
    dir_lock lock;
    io_set io; /* the command's inputs and outputs (cli/args.h) */
} eval_args;

/* Their ids in a command's option table (the command's own stay below). */
enum { E_DATA = 100, E_OUT, E_SPLITS, E_WORST, E_BAYES, E_MAX_RTF, E_MAX_LATENCY, E_MAX_SIZE };

#define CLI_EVAL_OPTIONS                                                                           \
    {"data", CLI_INPUT, NULL, E_DATA}, {"out", CLI_OUTPUT_DIR, NULL, E_OUT},                       \
        {"splits", CLI_VALUE, NULL, E_SPLITS}, {"worst", CLI_VALUE, NULL, E_WORST},                \
        {"bayes", CLI_VALUE, NULL, E_BAYES}, {"max-rtf", CLI_VALUE, NULL, E_MAX_RTF},              \
        {"max-latency-ms", CLI_VALUE, NULL, E_MAX_LATENCY},                                        \
        {"max-size-mb", CLI_VALUE, NULL, E_MAX_SIZE}, CLI_QUIET_OPTION

void eval_args_init(eval_args *a);
/* One of the shared options (ID >= E_DATA); 0 or -1 with a message. */
int eval_args_handle(eval_args *a, int id, const char *value);
/* After parsing: the default splits when none were given, the report files
 * of the models NAMES[0..NM) declared in --out (none may be an input), and
 * the lock on --out (a second command writing it fails at once). */
int eval_args_finish(eval_args *a, char *const *names, int nm);
/* The report's spec from the options, with provenance: now, the data
 * directory and the command line "asr ARGV..." (ARGV[0] the subcommand);
 * free R->command (a new string) after use. */
void eval_args_spec(const eval_args *a, int argc, char *const *argv, report_spec *r);
void eval_args_free(eval_args *a);
/* The threads eval and compare recognise each utterance on: --threads
 * THREADS when given (> 0), else one, so that its CPU time is the model's
 * cost and not OpenMP's threads waiting for cores a loaded machine gives
 * to others (recognizer/evaluate.h). For cli_apply_threads. */
int eval_args_threads(int threads);

#endif
