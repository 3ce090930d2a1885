/* cmd_features.c — `asr features`: a data directory's features into an archive. */
#include "base/error.h"
#include "base/log.h"
#include "base/parallel.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "recognizer/feats_ark.h"

#include <stdio.h>
#include <string.h>

static const char features_usage[] =
    "usage: asr features [options] DATA_DIR OUT.ark\n"
    "\n"
    "Computes the features of every utterance of DATA_DIR (wav.scp) and writes\n"
    "them, with the configuration that made them, to the archive OUT.ark.\n"
    "Prints utterances, frames, seconds of audio and the real-time factor\n"
    "(processing seconds / audio seconds).\n"
    "\n"
    "  --kind mfcc|fbank   MFCC (default) or log-mel filterbank\n"
    "  --rate HZ           convert audio to this rate first (default 16000)\n"
    "  --num-mel N         mel filters (23)\n"
    "  --num-ceps N        MFCC coefficients, c0 included (13)\n"
    "  --deltas 0|1|2      append deltas / delta-deltas (0)\n"
    "  --cmvn              per-utterance mean and variance normalisation\n"
    "  --dither D          dither in 16-bit units (0 = off), seeded by --seed\n"
    "  --seed N            dither seed (0)\n"
    "  --set KEY=VALUE     any other setting (frame_ms, hop_ms, preemph, window,\n"
    "                      low_hz, high_hz, lifter; asr train --help describes them)\n"
    "  --threads N         utterances in parallel (default 0: all cores)\n"
    "  --stats FILE        the summary as one JSON object, for scripts\n" CLI_QUIET_HELP
    "Options take --opt VALUE or --opt=VALUE; -- ends them.\n"
    "\nExamples:\n"
    "  asr features data/digits/train train.ark\n"
    "  asr features --kind fbank --num-mel 40 --deltas 2 --cmvn --rate 8000 \\\n"
    "      --stats stats.json data/digits/dev dev.ark\n";

enum { O_CMVN = 1, O_STATS };

typedef struct {
    asr_options o;
    const char *stats;
} features_cmd;

static const cli_option features_options[] = {
    {"kind", CLI_KEY, "features.kind", 0},       {"rate", CLI_KEY, "features.rate", 0},
    {"num-mel", CLI_KEY, "features.num_mel", 0}, {"num-ceps", CLI_KEY, "features.num_ceps", 0},
    {"deltas", CLI_KEY, "features.deltas", 0},   {"dither", CLI_KEY, "features.dither", 0},
    {"seed", CLI_KEY, "features.seed", 0},       {"cmvn", CLI_FLAG, NULL, O_CMVN},
    {"set", CLI_SET_IN, "features.", 0},         {"threads", CLI_KEY, "threads", 0},
    {"stats", CLI_OUTPUT, NULL, O_STATS},        CLI_QUIET_OPTION,
};

static const cli_operand features_operands[] = {
    {CLI_INPUT, "DATA_DIR"}, {CLI_OUTPUT, "OUT.ark"}, {0, NULL}};

static int handle(void *ctx, int id, const char *v)
{
    features_cmd *c = ctx;
    if (id == O_CMVN) c->o.feats.cmvn = 1;
    if (id == O_STATS) c->stats = v;
    return 0;
}

/* The summary line, and with --stats the same as JSON. */
static int report(const io_set *io, const feats_ark_stats *st, const char *stats)
{
    if (par_rank() != 0) return 0; /* under MPI rank 0 holds the whole */
    double rtf = st->audio_seconds > 0 ? st->compute_seconds / st->audio_seconds : 0;
    asr_log(ASR_LOG_INFO,
            "asr features: %d utterances, %ld frames of %d values, %.1f s of audio; features %.2f "
            "s (RTF %.5f), written in %.2f s",
            st->utterances, st->frames, st->dim, st->audio_seconds, st->compute_seconds, rtf,
            st->write_seconds);
    if (!stats) return 0;
    char json[512];
    snprintf(json, sizeof json,
             "{\"utterances\": %d, \"frames\": %ld, \"dim\": %d, \"audio_seconds\": %.3f, "
             "\"seconds\": %.4f, \"rtf\": %.6f, \"write_seconds\": %.4f}",
             st->utterances, st->frames, st->dim, st->audio_seconds, st->compute_seconds, rtf,
             st->write_seconds);
    return cli_write_stats(io, stats, json);
}

int cmd_features(int argc, char **argv)
{
    features_cmd c = {.stats = NULL};
    options_init(&c.o);
    io_set io;
    io_set_init(&io);
    cli_spec spec = {"asr features",
                     features_usage,
                     features_options,
                     (int)(sizeof features_options / sizeof features_options[0]),
                     &c.o,
                     handle,
                     &c,
                     2,
                     2,
                     &io,
                     features_operands};
    char *pos[2];
    int n, status = 0;
    int rc = cli_parse(&spec, argc, argv, pos, &n);
    feats_ark_stats st;
    if (rc != CLI_OK)
        status = cli_exit_status(rc);
    else if (features_config_check(&c.o.feats) < 0)
        status = cli_usage_error(&spec, "%s", asr_last_error());
    else if (feats_ark_make_file(&io, pos[0], &c.o.feats, c.o.threads, pos[1], &st) < 0 ||
             report(&io, &st, c.stats) < 0) {
        fprintf(stderr, "asr features: %s\n", asr_last_error());
        status = 1;
    }
    io_set_free(&io);
    options_free(&c.o);
    return status;
}
