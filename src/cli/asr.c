/* asr.c — the `asr` command: dispatches to the subcommands in cmd_*.c.
 *
 * Conventions for every subcommand: `asr SUB --help` prints usage to stdout and
 * exits 0; errors go to stderr and name the file, line or utterance at fault;
 * exit status 0 success, 1 failure, 2 bad usage.
 */
#include "base/build_info.h"

#include "base/error.h"
#include "base/parallel.h"
#include "base/suggest.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "pipelines/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const asr_command asr_commands[] = {
    /* data */
    {"data", "validate, split, subset and combine data directories", cmd_data},

    /* features */
    {"features", "compute MFCC or log-mel features of a data directory", cmd_features},

    /* lexicon */
    {"lexicon", "build a CMUdict lexicon; write a data dir's phones", cmd_lexicon},
    {"text", "normalise transcripts (lowercase, numbers spelled out)", cmd_text},

    /* noise */
    {"noise", "mix noise into a data directory at exact SNRs", cmd_noise},

    /* score */
    {"score", "WER/CER/SER of hypothesis transcripts, sclite-style alignments", cmd_score},

    /* train, decode */
    {"train", "train a recognizer of one of the pipelines below", cmd_train},
    {"decode", "recognise a data directory or audio files with a trained model", cmd_decode},
    {"stream", "recognise a live stream (stdin PCM or a file), utterance by utterance", cmd_stream},
    {"calibrate", "fit confidence calibration and out-of-vocabulary rejection on held-out data",
     cmd_calibrate},
    {"adapt", "adapt a model to a speaker or a line from its untranscribed audio", cmd_adapt},
    {"models", "the models --model NAME finds: name, pipeline, size, path", cmd_models},
    {"eval", "errors per split, their decomposition, thresholds, error analysis", cmd_eval},
    {"compare", "several models on the same splits: Markdown, JSON and HTML report", cmd_compare},

    /* lm */
    {"lm", "estimate a word n-gram language model (ARPA)", cmd_lm},

    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: asr SUBCOMMAND [OPTIONS] [ARGS]\n\n"
                 "A speech recognition workbench: recognizers of the pipelines below, noise\n"
                 "synthesis and evaluation. `asr SUBCOMMAND --help` for details.\n\n"
                 "subcommands:\n");
    for (const asr_command *c = asr_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "  %-10s %s\n", "help", "this message");
    fprintf(out, "  %-10s %s\n", "--version", "the version");
    /* From the table asr train picks from, so that none is left out. */
    fprintf(out, "\npipelines (asr train --pipeline NAME):\n");
    for (const pipeline_ops *const *p = pipeline_all; *p; p++)
        fprintf(out, "  %-10s %s\n", (*p)->name, (*p)->summary);
}

/* The subcommands that run as several MPI ranks (parallel.h): train shares
 * every batch; features, decode (of a data directory) and eval share the
 * utterances; the others would each write the same outputs, so they refuse. */
static int runs_on_ranks(const char *sub)
{
    return !strcmp(sub, "train") || !strcmp(sub, "features") || !strcmp(sub, "decode") ||
           !strcmp(sub, "eval");
}

static int run_command(const asr_command *c, int argc, char **argv)
{
    if (par_size() > 1 && !runs_on_ranks(c->name)) {
        if (par_rank() == 0)
            fprintf(stderr,
                    "asr %s: runs as one process, not as %d MPI ranks (mpirun runs "
                    "asr train, features, decode and eval)\n",
                    c->name, par_size());
        /* The other ranks wait until rank 0 has said why: a rank that
         * exits first makes mpirun kill rank 0 before it prints. */
        int said = 1;
        par_broadcast(&said, sizeof said);
        return EXIT_USAGE;
    }
    return c->run(argc, argv);
}

/* Words people type for a subcommand that is called something else. */
static const struct {
    const char *word, *meant;
} synonyms[] = {
    {"recognize", "decode"},
    {"recognise", "decode"},
    {"transcribe", "decode"},
    {"infer", "decode"},
    {"evaluate", "eval"},
    {"test", "eval"},
    {"live", "stream"},
    {"listen", "stream"},
    {"fit", "train"},
    {"mfcc", "features"},
    {"fbank", "features"},
    {"augment", "noise"},
    {"wer", "score"},
    {"normalize", "text normalize"},
    {"normalise", "text normalize"},
    {"validate", "data validate"},
    {"split", "data split"},
    {"subset", "data subset"},
    {"combine", "data combine"},
    {"report", "compare"},
};

/* SUB names no subcommand: one line saying so, with the one it may have
 * meant (a synonym, or the closest name), and where the list is. */
static int unknown_subcommand(const char *sub)
{
    const char *meant = NULL;
    for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0] && !meant; i++)
        if (!strcmp(sub, synonyms[i].word)) meant = synonyms[i].meant;
    int n = 0;
    while (asr_commands[n].name) n++;
    if (!meant) meant = suggest_name(sub, &asr_commands[0].name, n, (int)sizeof asr_commands[0]);
    if (meant)
        fprintf(stderr, "asr: unknown subcommand '%s' (did you mean 'asr %s'?)\n", asr_quote(sub),
                meant);
    else
        fprintf(stderr, "asr: unknown subcommand '%s'\n", asr_quote(sub));
    fprintf(stderr, CLI_TRY_HELP, "asr");
    return EXIT_USAGE;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--version") || !strcmp(sub, "version")) {
        printf("asr %s\n", build_version());
        return 0;
    }
    if (!strcmp(sub, "help") || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        if (argc > 2) {
            for (const asr_command *c = asr_commands; c->name; c++)
                if (!strcmp(c->name, argv[2])) {
                    char *args[] = {argv[2], "--help", NULL};
                    return run_command(c, 2, args);
                }
            return unknown_subcommand(argv[2]);
        }
        usage(stdout);
        return 0;
    }
    for (const asr_command *c = asr_commands; c->name; c++)
        if (!strcmp(c->name, sub)) return run_command(c, argc - 1, argv + 1);
    return unknown_subcommand(sub);
}

/* Under MPI every rank runs the same command: a failure on any rank stops
 * every rank (the others may be waiting for it in a collective), a success
 * leaves the job. */
int main(int argc, char **argv)
{
    if (cli_messages_init() < 0) return EXIT_USAGE;
    if (par_init(&argc, &argv) < 0) {
        fprintf(stderr, "asr: %s\n", asr_last_error());
        return 1;
    }
    int rc = dispatch(argc, argv);
    if (rc != 0 && par_size() > 1) {
        fprintf(stderr, "asr: rank %d of %d failed (exit %d); stopping every rank\n", par_rank(),
                par_size(), rc);
        par_abort(rc);
    }
    par_finalize();
    return rc;
}
