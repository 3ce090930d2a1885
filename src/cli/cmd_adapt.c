/* cmd_adapt.c — `asr adapt`: adapt a model to a speaker (or a line) from its
 * own untranscribed audio (recognizer/adapt.h does the work). */
#include "base/error.h"
#include "cli/adapt_args.h"
#include "cli/commands.h"

#include <stdio.h>

static const char adapt_usage[] =
    "usage: asr adapt --model M --data DIR --out M2 [--per-speaker] [options]\n"
    "\n"
    "Adapts M to the audio of DIR without transcripts: decodes it, keeps the\n"
    "hypotheses at least --min-confidence sure, and fits a small transform to\n"
    "them with the network frozen, pulled toward the source model (--adapt-l2).\n"
    "M2 is M with the transforms stored; asr decode, stream and the library\n"
    "apply them (stream and the library: the one for every speaker).\n"
    "\n"
    "  --per-speaker          one transform per speaker of DIR/utt2spk; asr decode\n"
    "                         uses each utterance's speaker's, and none for a\n"
    "                         speaker it does not know. Without it: one transform\n"
    "                         for every utterance (a line, a device, a room)\n"
    "  --supervised           fit to DIR/text instead of the hypotheses (every\n"
    "                         utterance kept): the upper bound of adaptation\n" CLI_ADAPT_HELP
    "  --threads N, --batch-frames N, --beam N, --lm-weight X, --word-penalty X,\n"
    "  --set KEY=VALUE        as asr decode\n" CLI_QUIET_HELP "\n"
    "Prints one JSON object: transform, speakers (each: speaker, utterances, used,\n"
    "loss_before, loss_after: the mean loss per kept utterance, seconds), seconds.\n"
    "\nExamples:\n"
    "  asr adapt --model digits --data my_calls --out digits-mine.mdl\n"
    "  asr adapt --model digits --data callers --per-speaker --out digits-callers.mdl\n"
    "  asr decode --model digits-callers.mdl --out hyp.txt callers\n";

enum { O_MODEL = 1, O_DATA, O_OUT, O_PER_SPEAKER, O_SUPERVISED };

static const cli_option adapt_options[] = {
    {"model", CLI_MODEL, NULL, O_MODEL},
    {"data", CLI_INPUT, NULL, O_DATA},
    {"out", CLI_OUTPUT, NULL, O_OUT},
    {"per-speaker", CLI_FLAG, NULL, O_PER_SPEAKER},
    {"supervised", CLI_FLAG, NULL, O_SUPERVISED},
    CLI_ADAPT_OPTIONS,
    CLI_QUIET_OPTION,
    CLI_SEARCH_OPTIONS,
};

static int handle(void *ctx, int id, const char *v)
{
    asr_adapt_job *j = ctx;
    switch (id) {
    case O_MODEL:
        j->model = v;
        return 0;
    case O_DATA:
        j->data = v;
        return 0;
    case O_OUT:
        j->out = v;
        return 0;
    case O_PER_SPEAKER:
        j->cfg.per_speaker = 1;
        return 0;
    case O_SUPERVISED:
        j->cfg.supervised = 1;
        return 0;
    }
    return adapt_args_handle(&j->cfg, id, v) < 0 ? -1 : 0;
}

int cmd_adapt(int argc, char **argv)
{
    asr_options conf;
    options_init(&conf);
    io_set io;
    io_set_init(&io);
    asr_adapt_job j = {NULL, NULL, NULL, {0}, &conf, &io};
    adapt_config_default(&j.cfg);
    cli_spec spec = {"asr adapt",
                     adapt_usage,
                     adapt_options,
                     (int)(sizeof adapt_options / sizeof adapt_options[0]),
                     &conf,
                     handle,
                     &j,
                     0,
                     0,
                     &io,
                     NULL};
    char *ops[1];
    int n;
    int rc = cli_parse(&spec, argc, argv, ops, &n);
    if (rc != CLI_OK) {
        rc = cli_exit_status(rc);
    } else if (!j.model || !j.data || !j.out) {
        rc = cli_usage_error(&spec, "--model, --data and --out are required");
    } else if (adapt_args_conflict(&j.cfg)) {
        rc = cli_usage_error(&spec, "%s", adapt_args_conflict(&j.cfg));
    } else {
        cli_apply_threads(conf.threads);
        adapt_stats st;
        if (asr_adapt(&j, &st) < 0) {
            fprintf(stderr, "asr adapt: %s\n", asr_last_error());
            rc = 1;
        } else {
            adapt_args_print(stdout, j.cfg.kind, &st);
            rc = 0;
        }
        adapt_stats_free(&st);
    }
    io_set_free(&io);
    options_free(&conf);
    return rc;
}
