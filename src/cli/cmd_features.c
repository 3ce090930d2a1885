/* cmd_features.c — `asr features`: a data directory's features into an archive. */
#include "cli/commands.h"
#include "text/corpus.h"
#include "base/error.h"
#include "signal/feats_ark.h"
#include "signal/features.h"
#include "base/input_set.h"
#include "base/numparse.h"

#include <stdio.h>
#include <stdlib.h>
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
    "  --threads N         utterances in parallel (default 0: all cores)\n";

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int cmd_features(int argc, char **argv)
{
    features_config cfg;
    features_config_default(&cfg);
    int threads = 0;
    const char *pos[2];
    int npos = 0;
    /* Options that map one-to-one onto configuration keys. */
    static const struct {
        const char *opt, *key;
    } direct[] = {{"--kind", "kind"},         {"--rate", "rate"},     {"--num-mel", "num_mel"},
                  {"--num-ceps", "num_ceps"}, {"--deltas", "deltas"}, {"--dither", "dither"},
                  {"--seed", "seed"}};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(features_usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--cmvn")) {
            cfg.cmvn = 1;
            continue;
        }
        int matched = 0;
        for (size_t k = 0; k < sizeof direct / sizeof direct[0]; k++) {
            if (strcmp(a, direct[k].opt)) continue;
            matched = 1;
            if (i + 1 >= argc) {
                fprintf(stderr, "asr features: %s needs a value\n", a);
                return EXIT_USAGE;
            }
            char buf[128];
            snprintf(buf, sizeof buf, "%s=%s", direct[k].key, argv[++i]);
            if (features_config_set(&cfg, buf) < 0) {
                fprintf(stderr, "asr features: %s\n", asr_last_error());
                return EXIT_USAGE;
            }
        }
        if (matched) continue;
        if (!strcmp(a, "--set") || !strcmp(a, "--threads")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "asr features: %s needs a value\n", a);
                return EXIT_USAGE;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--threads")) {
                if (parse_int("--threads", v, 0, 256, &threads) < 0) {
                    fprintf(stderr, "asr features: %s (0 = all cores)\n", asr_last_error());
                    return EXIT_USAGE;
                }
            } else if (features_config_set(&cfg, v) < 0) {
                fprintf(stderr, "asr features: %s\n", asr_last_error());
                return EXIT_USAGE;
            }
            continue;
        }
        if (a[0] == '-' && a[1]) {
            fprintf(stderr, "asr features: unknown option '%s'\n%s", a, features_usage);
            return EXIT_USAGE;
        }
        if (npos == 2) {
            fprintf(stderr, "asr features: too many arguments\n%s", features_usage);
            return EXIT_USAGE;
        }
        pos[npos++] = a;
    }
    if (npos != 2) {
        fputs(features_usage, stderr);
        return EXIT_USAGE;
    }
    if (features_config_check(&cfg) < 0) {
        fprintf(stderr, "asr features: %s\n", asr_last_error());
        return EXIT_USAGE;
    }
    corpus c;
    if (corpus_read(pos[0], &c) < 0) {
        fprintf(stderr, "asr features: %s\n", asr_last_error());
        return 1;
    }
    input_set in;
    input_set_init(&in);
    corpus_add_inputs(&in, pos[0], &c);
    int clash = input_set_check_file(&in, pos[1]);
    input_set_free(&in);
    if (clash < 0) {
        fprintf(stderr, "asr features: %s\n", asr_last_error());
        corpus_free(&c);
        return 1;
    }
    double t0 = now_seconds(), seconds = 0;
    feats_ark ark;
    if (feats_ark_compute(&c, &cfg, threads, &ark, &seconds) < 0) {
        fprintf(stderr, "asr features: %s: %s\n", pos[0], asr_last_error());
        corpus_free(&c);
        return 1;
    }
    double t1 = now_seconds();
    long frames = 0;
    for (int i = 0; i < ark.n; i++) frames += ark.utts[i].T;
    int rc = feats_ark_write(pos[1], &ark);
    double t2 = now_seconds();
    if (rc < 0)
        fprintf(stderr, "asr features: %s\n", asr_last_error());
    else
        fprintf(stderr,
                "asr features: %d utterances, %ld frames of %d values, %.1f s of audio; "
                "features %.2f s (RTF %.5f), written in %.2f s\n",
                ark.n, frames, ark.dim, seconds, t1 - t0, seconds > 0 ? (t1 - t0) / seconds : 0,
                t2 - t1);
    feats_ark_free(&ark);
    corpus_free(&c);
    return rc < 0 ? 1 : 0;
}
