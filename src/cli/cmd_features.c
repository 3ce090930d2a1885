/* cmd_features.c — `asr features`: a data directory's features into an archive. */
#include "base/error.h"
#include "base/input_set.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "recognizer/feats_ark.h"
#include "text/corpus.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char features_usage[] =
    "usage: asr features [options] DATA_DIR OUT.ark\n"
    "\n"
    "Computes the features of every utterance of DATA_DIR (wav.scp) and writes\n"
    "them, with the configuration that made them, to the archive OUT.ark\n"
    "(format: src/feats_ark.h). Prints utterances, frames, seconds of audio and\n"
    "the real-time factor (processing seconds / audio seconds).\n"
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
    "                      low_hz, high_hz, lifter; see src/features.h)\n"
    "  --threads N         utterances in parallel (default 0: all cores)\n"
    "Options take --opt VALUE or --opt=VALUE; -- ends them.\n";

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

enum { O_CMVN = 1 };

static const cli_option features_options[] = {
    {"kind", CLI_KEY, "features.kind", 0},       {"rate", CLI_KEY, "features.rate", 0},
    {"num-mel", CLI_KEY, "features.num_mel", 0}, {"num-ceps", CLI_KEY, "features.num_ceps", 0},
    {"deltas", CLI_KEY, "features.deltas", 0},   {"dither", CLI_KEY, "features.dither", 0},
    {"seed", CLI_KEY, "features.seed", 0},       {"cmvn", CLI_FLAG, NULL, O_CMVN},
    {"set", CLI_SET_IN, "features.", 0},         {"threads", CLI_KEY, "threads", 0},
};

static int handle(void *ctx, int id, const char *v)
{
    (void)v;
    asr_options *o = ctx;
    if (id == O_CMVN) o->feats.cmvn = 1;
    return 0;
}

/* Features of DIR into ARCHIVE (never over one of DIR's files). */
static int features(const asr_options *o, const char *dir, const char *archive)
{
    corpus c;
    if (corpus_read(dir, &c) < 0) return -1;
    input_set in;
    input_set_init(&in);
    corpus_add_inputs(&in, dir, &c);
    int rc = input_set_check_file(&in, archive);
    input_set_free(&in);
    double t0 = now_seconds(), seconds = 0;
    feats_ark ark;
    if (rc == 0 && feats_ark_compute(&c, &o->feats, o->threads, &ark, &seconds) < 0)
        rc = asr_error("%s: %s", dir, asr_last_error());
    corpus_free(&c);
    if (rc < 0) return -1;
    double t1 = now_seconds();
    long frames = 0;
    for (int i = 0; i < ark.n; i++) frames += ark.utts[i].T;
    rc = feats_ark_write(archive, &ark);
    if (rc == 0)
        fprintf(stderr,
                "asr features: %d utterances, %ld frames of %d values, %.1f s of audio; "
                "features %.2f s (RTF %.5f), written in %.2f s\n",
                ark.n, frames, ark.dim, seconds, t1 - t0, seconds > 0 ? (t1 - t0) / seconds : 0,
                now_seconds() - t1);
    feats_ark_free(&ark);
    return rc;
}

int cmd_features(int argc, char **argv)
{
    asr_options o;
    options_init(&o);
    cli_spec spec = {"asr features",
                     features_usage,
                     features_options,
                     (int)(sizeof features_options / sizeof features_options[0]),
                     &o,
                     handle,
                     &o,
                     2,
                     2};
    char *pos[2];
    int n, status = 0;
    int rc = cli_parse(&spec, argc, argv, pos, &n);
    if (rc == CLI_USAGE)
        status = EXIT_USAGE;
    else if (rc == CLI_OK && features_config_check(&o.feats) < 0)
        status = cli_usage_error(&spec, "%s", asr_last_error());
    else if (rc == CLI_OK && features(&o, pos[0], pos[1]) < 0) {
        fprintf(stderr, "asr features: %s\n", asr_last_error());
        status = 1;
    }
    options_free(&o);
    return status;
}
