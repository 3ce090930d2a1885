/* cmd_noise.c — `asr noise`: a noisy copy of a data directory. */
#include "base/error.h"
#include "base/log.h"
#include "base/clock.h"
#include "base/numparse.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "signal/noise_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char noise_usage[] =
    "usage: asr noise --type TYPE [options] IN_DIR OUT_DIR\n"
    "\n"
    "Writes OUT_DIR: every utterance of IN_DIR mixed with noise at an SNR drawn\n"
    "uniformly from --snr (measured over speech-active frames; the mixture is\n"
    "scaled, never clipped), same transcripts, and OUT_DIR/noise_info\n"
    "(ID SOURCE OFFSET SNR_DB GAIN per utterance).\n"
    "\n"
    "  --type file|white|pink|brown|babble|reverb\n"
    "  --noise-files P      (file) noise recordings: audio files, directories\n"
    "                       (every .wav/.flac/.ogg in them) or a list file\n"
    "                       ending in .txt/.list/.scp; repeatable\n"
    "  --snr LO:HI          SNR range in dB (default 0:20)\n"
    "  --babble-talkers K   (babble) other utterances summed (default 4)\n"
    "  --rir FILE | --rt60 SECONDS   (reverb) impulse response, or a synthetic\n"
    "                       room with that reverberation time\n"
    "  --seed N             reproducible draws (default 1)\n"
    "  --suffix S           appended to every utterance id (default none)\n"
    "  --threads N          (default 0: all cores)\n"
    "  --force              replace an existing OUT_DIR, once the new one is\n"
    "                       complete\n"
    "  --stats FILE         the summary as one JSON object, for scripts\n" CLI_QUIET_HELP
    "Options take --opt VALUE or --opt=VALUE; -- ends them.\n"
    "\nExamples:\n"
    "  asr noise --type white --snr 5:20 data/digits/train data/train_white\n"
    "  asr noise --type file --noise-files music/ --snr 0:15 --suffix -mus \\\n"
    "      data/digits/train data/train_music\n"
    "  asr noise --type reverb --rt60 0.4 --force data/digits/train data/train_rev\n";

/* "LO:HI" in dB, each a finite number within the bounds noise_dir.h gives. */
static int parse_snr(const char *v, double *lo, double *hi)
{
    const char *colon = strchr(v, ':');
    if (!colon) return asr_error("--snr %s: expected LO:HI in dB", v);
    char a[64];
    size_t n = (size_t)(colon - v);
    if (n >= sizeof a) return asr_error("--snr %s: expected LO:HI in dB", v);
    memcpy(a, v, n);
    a[n] = '\0';
    if (parse_double("--snr: low end", a, NOISE_MIN_SNR_DB, NOISE_MAX_SNR_DB, lo) < 0 ||
        parse_double("--snr: high end", colon + 1, NOISE_MIN_SNR_DB, NOISE_MAX_SNR_DB, hi) < 0)
        return -1;
    if (*lo > *hi) return asr_error("--snr %s: the range is inverted", v);
    return 0;
}

enum {
    O_TYPE = 1,
    O_FILES,
    O_SNR,
    O_TALKERS,
    O_RIR,
    O_RT60,
    O_SEED,
    O_THREADS,
    O_SUFFIX,
    O_FORCE,
    O_STATS
};

static const cli_option noise_opts[] = {
    {"type", CLI_VALUE, NULL, O_TYPE},     {"noise-files", CLI_INPUT, NULL, O_FILES},
    {"snr", CLI_VALUE, NULL, O_SNR},       {"babble-talkers", CLI_VALUE, NULL, O_TALKERS},
    {"rir", CLI_INPUT, NULL, O_RIR},       {"rt60", CLI_VALUE, NULL, O_RT60},
    {"seed", CLI_VALUE, NULL, O_SEED},     {"threads", CLI_VALUE, NULL, O_THREADS},
    {"suffix", CLI_VALUE, NULL, O_SUFFIX}, {"force", CLI_FLAG, NULL, O_FORCE},
    {"stats", CLI_OUTPUT, NULL, O_STATS},  CLI_QUIET_OPTION,
};

static const cli_operand noise_operands[] = {
    {CLI_INPUT, "IN_DIR"}, {CLI_OUTPUT_DIR, "OUT_DIR"}, {0, NULL}};

typedef struct {
    noise_options o;
    const char *files[64]; /* --noise-files arguments, expanded after parsing */
    int nfiles;
    const char *stats;
    io_set io;
} noise_cmd;

static int handle(void *ctx, int id, const char *v)
{
    noise_cmd *c = ctx;
    noise_options *o = &c->o;
    switch (id) {
    case O_TYPE:
        return noise_type_parse("--type", v, &o->type);
    case O_FILES:
        if (c->nfiles == 64) return asr_error("--noise-files: at most 64 times");
        c->files[c->nfiles++] = v;
        return 0;
    case O_SNR:
        return parse_snr(v, &o->snr_lo, &o->snr_hi);
    case O_TALKERS:
        return parse_int("--babble-talkers", v, 1, NOISE_MAX_TALKERS, &o->talkers);
    case O_RIR:
        o->rir = v;
        return 0;
    case O_RT60:
        return parse_double("--rt60 (seconds)", v, 1e-3, NOISE_MAX_RIR_SECONDS, &o->rt60);
    case O_SEED:
        return parse_u64("--seed", v, &o->seed);
    case O_THREADS:
        return parse_int("--threads (0 = all cores)", v, 0, 256, &o->threads);
    case O_SUFFIX:
        o->suffix = v;
        return 0;
    case O_FORCE:
        o->force = 1;
        return 0;
    case O_STATS:
        c->stats = v;
        return 0;
    }
    return asr_error("internal: option %d", id);
}

static int run(noise_cmd *c, const cli_spec *spec, int argc, char **argv)
{
    noise_options *o = &c->o;
    char *pos[2];
    int n, rc = cli_parse(spec, argc, argv, pos, &n);
    if (rc != CLI_OK) return cli_exit_status(rc);
    if (n != 2 || (int)o->type < 0)
        return cli_usage_error(spec, "--type, IN_DIR and OUT_DIR are required");
    if (o->type == NOISE_FILE && c->nfiles == 0)
        return cli_usage_error(spec, "--type file needs --noise-files");
    if (o->type == NOISE_REVERB && !o->rir && o->rt60 == 0)
        return cli_usage_error(spec, "--type reverb needs --rir FILE or --rt60 SECONDS");
    for (int i = 0; i < c->nfiles; i++)
        if (noise_options_add_files(o, c->files[i]) < 0) {
            fprintf(stderr, "asr noise: %s\n", asr_last_error());
            return 1;
        }
    double t0 = clock_seconds();
    noise_stats st;
    if (noise_corrupt_dir(&c->io, pos[0], pos[1], o, &st) < 0) {
        fprintf(stderr, "asr noise: %s\n", asr_last_error());
        return 1;
    }
    double el = clock_seconds() - t0;
    asr_log(ASR_LOG_INFO,
            "asr noise: %d utterances, %.1f s of audio in %.2f s (%.0fx real time) -> %s",
            st.utterances, st.seconds, el, el > 0 ? st.seconds / el : 0, pos[1]);
    if (c->stats) {
        char json[256];
        snprintf(json, sizeof json,
                 "{\"utterances\": %d, \"audio_seconds\": %.3f, \"seconds\": %.4f, "
                 "\"times_real_time\": %.2f}",
                 st.utterances, st.seconds, el, el > 0 ? st.seconds / el : 0);
        if (cli_write_stats(&c->io, c->stats, json) < 0) {
            fprintf(stderr, "asr noise: %s\n", asr_last_error());
            return 1;
        }
    }
    return 0;
}

int cmd_noise(int argc, char **argv)
{
    noise_cmd c;
    memset(&c, 0, sizeof c);
    c.o = (noise_options){.type = -1, .snr_lo = 0, .snr_hi = 20, .talkers = 4, .seed = 1};
    io_set_init(&c.io);
    cli_spec spec = {"asr noise",
                     noise_usage,
                     noise_opts,
                     (int)(sizeof noise_opts / sizeof noise_opts[0]),
                     NULL,
                     handle,
                     &c,
                     0,
                     2,
                     &c.io,
                     noise_operands};
    int rc = run(&c, &spec, argc, argv);
    io_set_free(&c.io);
    noise_options_free(&c.o);
    return rc;
}
