/* cmd_stream.c — `asr stream`: live recognition of standard input (raw PCM,
 * e.g. from arecord) or of a file at real-time pace; one recognizer/stream.h
 * stream, results printed as they come. */
#include "base/alloc.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/json.h"
#include "base/log.h"
#include "base/numparse.h"
#include "base/suggest.h"
#include "cli/adapt_args.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "recognizer/stream.h"
#include "recognizer/system.h"
#include "recognizer/word_output.h"
#include "signal/audio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char stream_usage[] =
    "usage: asr stream [--model NAME|FILE] [options]\n"
    "\n"
    "Recognises a live stream: headerless mono PCM on standard input, as long as\n"
    "it lasts, e.g.\n"
    "  arecord -q -f S16_LE -r 8000 -c 1 | asr stream --model EXP/direct/final.mdl\n"
    "or an audio file with --input. An endpointer cuts the stream into\n"
    "utterances (energy above the background noise, with a hangover); each one\n"
    "is recognised when it ends and printed as START<TAB>END<TAB>words (seconds\n"
    "from the start of the stream); the same words `asr decode` gives for the\n"
    "same stretch of audio.\n"
    "\n"
    "  --model NAME|FILE    a model file, or the name of one (asr models lists\n"
    "                       them), or a system of several stored in one (asr models\n"
    "                       --combine); default: digits, the shipped digits models\n"
    "                       combined\n"
    "  --input FILE         read FILE (any format libsndfile reads) instead\n"
    "  --realtime           feed FILE at the pace it was spoken (as a microphone\n"
    "                       would), not as fast as possible\n"
    "  --rate HZ            standard input's sample rate (default: the model's)\n"
    "  --encoding s16le|f32le   standard input's samples (default s16le)\n"
    "                       (what was assumed is said on standard error, and a\n"
    "                       voice pitched below any adult's is warned of: audio\n"
    "                       at twice the rate read at the rate sounds so)\n"
    "  --partial MS         also a partial result every MS of speech (text: on\n"
    "                       standard error; json: type \"partial\")\n"
    "  --format text|json   json: one object per line: type, utterance, start,\n"
    "                       end, speech_end (s), start_sample, end_sample, rate,\n"
    "                       words, confidence, rejected (outside the vocabulary:\n"
    "                       no words; asr calibrate), held (partials: a model\n"
    "                       that rejects shows words only in final results, as\n"
    "                       the whole utterance may reject them), word_times\n"
    "                       [{word, start,\n"
    "                       end, confidence, gap, agreement (a combined system's)}]\n"
    "                       (s from the stream's start),\n"
    "                       decode_ms,\n"
    "                       emitted (s since the stream began)\n"
    "Endpointer:\n"
    "  --threshold DB       speech is this far above the noise floor (default 12)\n"
    "  --min-level DB       and above this level, dB full scale (default -50)\n"
    "  --min-speech MS      speech this long starts an utterance (default 60)\n"
    "  --hangover MS        silence this long ends it (default 300)\n"
    "  --pad MS             audio kept before and after the speech (default 200)\n"
    "  --max-utterance MS   an utterance is cut at this length (default 20000)\n"
    "  --model M2 ...       given again: an ensemble, as in asr decode\n"
    "  --combine M2         system combination, as in asr decode (repeatable)\n"
    "  --pad-view MS        a padded view of each utterance, as in asr decode\n"
    "  --beam N --lm FILE --lexicon FILE --lm-weight X --word-penalty X --set K=V\n"
    "                       search settings, as in asr decode\n"
    "  --adapt              adapt to the stream's voice as it goes: once its\n"
    "                       confident final results hold --min-seconds of audio, a\n"
    "                       transform is fitted to them (asr adapt) and refitted as\n"
    "                       they grow by half; later utterances use it, a result\n"
    "                       already printed never changes (json: adapted_on, the\n"
    "                       results it was fitted on); with:\n" CLI_ADAPT_HELP
    "  --threads N          (default 1: a stream is one utterance at a time)\n"
    "  --stats FILE         utterances, audio seconds and RTF as one JSON object\n" CLI_QUIET_HELP
    "\nExamples:\n"
    "  arecord -q -f S16_LE -r 8000 -c 1 -t raw | asr stream --model exp/direct/final.mdl\n"
    "  asr stream --model exp/direct/final.mdl --input call.wav --realtime \\\n"
    "      --format json --partial 300\n";

enum {
    O_MODEL = 1,
    O_INPUT,
    O_REALTIME,
    O_RATE,
    O_ENCODING,
    O_PARTIAL,
    O_FORMAT,
    O_THRESHOLD,
    O_MIN_LEVEL,
    O_MIN_SPEECH,
    O_HANGOVER,
    O_PAD,
    O_MAX_UTT,
    O_STATS,
    O_ADAPT,
    O_COMBINE,
    O_PAD_VIEW
};

#define MAX_MODELS 16

static const cli_option stream_options[] = {
    {"model", CLI_MODEL, NULL, O_MODEL},
    {"input", CLI_INPUT, NULL, O_INPUT},
    {"realtime", CLI_FLAG, NULL, O_REALTIME},
    {"rate", CLI_VALUE, NULL, O_RATE},
    {"encoding", CLI_VALUE, NULL, O_ENCODING},
    {"partial", CLI_VALUE, NULL, O_PARTIAL},
    {"format", CLI_VALUE, NULL, O_FORMAT},
    {"threshold", CLI_VALUE, NULL, O_THRESHOLD},
    {"min-level", CLI_VALUE, NULL, O_MIN_LEVEL},
    {"min-speech", CLI_VALUE, NULL, O_MIN_SPEECH},
    {"hangover", CLI_VALUE, NULL, O_HANGOVER},
    {"pad", CLI_VALUE, NULL, O_PAD},
    {"max-utterance", CLI_VALUE, NULL, O_MAX_UTT},
    {"stats", CLI_OUTPUT, NULL, O_STATS},
    {"adapt", CLI_FLAG, NULL, O_ADAPT},
    {"combine", CLI_MODEL, NULL, O_COMBINE},
    {"pad-view", CLI_VALUE, NULL, O_PAD_VIEW},
    CLI_ADAPT_OPTIONS,
    CLI_QUIET_OPTION,
    CLI_SEARCH_OPTIONS,
};

typedef struct {
    const char *models[MAX_MODELS];
    int n_models;
    const char *combine[MAX_MODELS]; /* --combine */
    int n_combine, pad_view_ms;
    const char *input, *stats;
    int realtime, rate, partial_ms, json;
    audio_encoding encoding;
    int encoding_given;
    endpoint_config ep;
    double t0; /* when the stream began (monotonic) */
    io_set io;
    int adapt, adapt_opts; /* --adapt; adaptation options given */
    adapt_config acfg;
} stream_cmd;

static int handle(void *ctx, int id, const char *v)
{
    stream_cmd *c = ctx;
    double d;
    int a = adapt_args_handle(&c->acfg, id, v);
    if (a <= 0) {
        c->adapt_opts = 1;
        return a;
    }
    switch (id) {
    case O_ADAPT:
        c->adapt = 1;
        return 0;
    case O_MODEL:
        if (c->n_models == MAX_MODELS)
            return asr_error("--model: at most %d models decode together", MAX_MODELS);
        c->models[c->n_models++] = v;
        return 0;
    case O_COMBINE:
        if (c->n_combine == MAX_MODELS)
            return asr_error("--combine: at most %d models", MAX_MODELS);
        c->combine[c->n_combine++] = v;
        return 0;
    case O_PAD_VIEW:
        return parse_int("--pad-view", v, 1, 2000, &c->pad_view_ms);
    case O_INPUT:
        c->input = v;
        return 0;
    case O_REALTIME:
        c->realtime = 1;
        return 0;
    case O_STATS:
        c->stats = v;
        return 0;
    case O_RATE:
        return parse_int("--rate", v, AUDIO_MIN_RATE, AUDIO_MAX_RATE, &c->rate);
    case O_ENCODING:
        c->encoding_given = 1;
        return audio_parse_encoding("--encoding", v, &c->encoding);
    case O_PARTIAL:
        return parse_int("--partial", v, 0, 60000, &c->partial_ms);
    case O_FORMAT:
        return parse_choice("--format", v, "text|json", &c->json);
    case O_THRESHOLD:
        if (parse_double("--threshold", v, 0, 60, &d) < 0) return -1;
        c->ep.threshold_db = d;
        return 0;
    case O_MIN_LEVEL:
        if (parse_double("--min-level", v, -120, 0, &d) < 0) return -1;
        c->ep.min_level_db = d;
        return 0;
    case O_MIN_SPEECH:
        return parse_int("--min-speech", v, 10, 2000, &c->ep.min_speech_ms);
    case O_HANGOVER:
        return parse_int("--hangover", v, 10, 10000, &c->ep.hangover_ms);
    case O_PAD:
        return parse_int("--pad", v, 0, 2000, &c->ep.pad_ms);
    case O_MAX_UTT:
        return parse_int("--max-utterance", v, 1000, 600000, &c->ep.max_utterance_ms);
    }
    return 0;
}

/* One result line, flushed: a reader of the pipe sees it at once. */
static int emit(void *ctx, const asr_stream_result *r)
{
    const stream_cmd *c = ctx;
    double start = (double)r->start / r->rate, end = (double)r->end / r->rate;
    if (c->json) {
        printf("{\"type\": \"%s\", \"utterance\": %d, \"start\": %.3f, \"end\": %.3f, "
               "\"speech_end\": %.3f, \"start_sample\": %lld, \"end_sample\": %lld, "
               "\"rate\": %d, \"words\": ",
               r->final ? "final" : "partial", r->index, start, end,
               (double)r->speech_end / r->rate, (long long)r->start, (long long)r->end, r->rate);
        json_write_string(stdout, r->words);
        printf(", \"confidence\": %.4f, \"rejected\": %s, ", r->conf,
               r->rejected ? "true" : "false");
        if (!r->final) printf("\"held\": %s, ", r->held ? "true" : "false");
        printf("\"word_times\": ");
        words_write_json(stdout, r->w, r->nw, start);
        if (c->adapt) printf(", \"adapted_on\": %d", r->adapted_on);
        printf(", \"decode_ms\": %.2f, \"emitted\": %.4f}\n", r->decode_seconds * 1e3,
               clock_seconds() - c->t0);
    } else if (r->final) {
        printf("%.2f\t%.2f\t%s\n", start, end, r->words);
    } else {
        fprintf(stderr, "partial\t%.2f\t%.2f\t%s\n", start, end, r->words);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return asr_error("standard output: %s", strerror(errno ? errno : EIO));
    return 0;
}

/* Standard input until its end, in the chunks read(2) returns: a pipe from a
 * microphone delivers a few milliseconds at a time. */
static int feed_stdin(stream_cmd *c, asr_stream *s)
{
    enum { CHUNK = 4096 };
    unsigned char b[CHUNK + 4];
    float x[CHUNK / 2];
    size_t width = c->encoding == AUDIO_S16LE ? 2 : 4, have = 0;
    long long at = 0;
    for (;;) {
        ssize_t got = read(STDIN_FILENO, b + have, CHUNK - have);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return asr_error("standard input: %s", strerror(errno));
        if (got == 0) break;
        if (at == 0 && have == 0) c->t0 = clock_seconds();
        have += (size_t)got;
        size_t n = have / width;
        audio_decode_pcm(b, n, c->encoding, x);
        if (audio_check_samples("standard input", x, n, (uint64_t)at) < 0 ||
            asr_stream_feed(s, x, n) < 0)
            return -1;
        at += (long long)n;
        memmove(b, b + n * width, have - n * width);
        have -= n * width;
    }
    audio_warn_partial_sample("standard input", have, c->encoding);
    return asr_stream_finish(s);
}

/* FILE in 20 ms chunks; with --realtime each chunk waits until it would have
 * been spoken. */
static int feed_file(stream_cmd *c, asr_stream *s, const audio *a)
{
    size_t chunk = (size_t)a->rate / 50;
    c->t0 = clock_seconds();
    for (size_t i = 0; i < a->n; i += chunk) {
        size_t n = a->n - i < chunk ? a->n - i : chunk;
        if (c->realtime) {
            double due = c->t0 + (double)(i + n) / a->rate, wait = due - clock_seconds();
            if (wait > 0) {
                struct timespec ts = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};
                while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
                }
            }
        }
        if (asr_stream_feed(s, a->x + i, n) < 0) return -1;
    }
    return asr_stream_finish(s);
}

static int write_stats(const io_set *io, const char *path, int utts, double audio_s, double dec_s)
{
    char json[256];
    snprintf(json, sizeof json,
             "{\"utterances\": %d, \"audio_seconds\": %.3f, \"decode_seconds\": %.4f, "
             "\"rtf\": %.6f}",
             utts, audio_s, dec_s, audio_s > 0 ? dec_s / audio_s : 0);
    return cli_write_stats(io, path, json);
}

static int run_stream(stream_cmd *c, const asr_options *conf)
{
    asr_system sys;
    asr_system_spec sp = {.model = c->models[0],
                          .ensemble = c->models + 1,
                          .n_ensemble = c->n_models - 1,
                          .combine = c->combine,
                          .n_combine = c->n_combine,
                          .pad_view = c->pad_view_ms / 1000.0};
    if (asr_system_open(&sp, &conf->search, &sys) < 0) return -1;
    const asr_model *ms = sys.m;
    int rc = -1;
    audio a = {0};
    asr_stream *s = NULL;
    if (c->input && audio_read(c->input, 0, &a) < 0) goto done;
    int rate = c->input ? a.rate : c->rate ? c->rate : ms[0].feats.rate;
    if (!c->input)
        cli_say_raw_input("asr stream", c->encoding, c->encoding_given, rate, c->rate != 0,
                          "the model's rate");
    if (rate != ms[0].feats.rate)
        asr_log(ASR_LOG_INFO, "asr stream: %s at %d Hz, resampled to the model's %d Hz",
                c->input ? c->input : "standard input", rate, ms[0].feats.rate);
    s = asr_stream_open(&sys, rate, &c->ep, c->partial_ms, emit, c);
    if (!s || (c->adapt && asr_stream_adapt(s, &c->acfg) < 0)) goto done;
    /* A file's header gives its rate; raw samples may be at any. */
    if (!c->input) asr_stream_check_pitch(s);
    rc = c->input ? feed_file(c, s, &a) : feed_stdin(c, s);
    int64_t samples;
    double dec;
    int utts;
    asr_stream_stats(s, &samples, &dec, &utts);
    double secs = (double)samples / rate;
    if (rc == 0)
        asr_log(ASR_LOG_INFO,
                "asr stream: %d utterance%s in %.1f s of audio; recognition %.2f s: RTF %.4f", utts,
                utts == 1 ? "" : "s", secs, dec, secs > 0 ? dec / secs : 0);
    if (rc == 0 && c->stats) rc = write_stats(&c->io, c->stats, utts, secs, dec);
done:
    asr_stream_close(s);
    audio_free(&a);
    asr_system_free(&sys);
    return rc;
}

int cmd_stream(int argc, char **argv)
{
    asr_options conf;
    options_init(&conf);
    conf.threads = 1;
    stream_cmd c;
    memset(&c, 0, sizeof c);
    c.encoding = AUDIO_S16LE;
    endpoint_config_default(&c.ep);
    io_set_init(&c.io);
    adapt_config_default(&c.acfg);
    cli_spec spec = {"asr stream",
                     stream_usage,
                     stream_options,
                     (int)(sizeof stream_options / sizeof stream_options[0]),
                     &conf,
                     handle,
                     &c,
                     0,
                     0,
                     &c.io,
                     NULL};
    char *ops[1];
    int n, rc = cli_parse(&spec, argc, argv, ops, &n);
    if (rc != CLI_OK) {
        io_set_free(&c.io);
        options_free(&conf);
        return cli_exit_status(rc);
    }
    if (c.realtime && !c.input)
        rc = cli_usage_error(&spec, "--realtime paces --input FILE (standard input paces itself)");
    else if (c.input && (c.rate || c.encoding_given))
        rc = cli_usage_error(&spec, "--rate and --encoding describe standard input, not --input");
    else if (c.adapt_opts && !c.adapt)
        rc = cli_usage_error(&spec, "the adaptation options go with --adapt");
    else if (adapt_args_conflict(&c.acfg))
        rc = cli_usage_error(&spec, "%s", adapt_args_conflict(&c.acfg));
    else if (c.acfg.agree)
        rc = cli_usage_error(&spec, "--agree is for asr adapt and asr decode --adapt: a stream "
                                    "adapts to one model's confident results");
    else if ((c.n_combine || c.pad_view_ms) && c.adapt)
        rc = cli_usage_error(&spec, "--adapt adapts one model: not with --combine or --pad-view");
    else if (c.pad_view_ms && c.n_models > 1)
        rc = cli_usage_error(&spec, "--pad-view decodes again with one model: not with an "
                                    "ensemble");
    else if (!c.n_models && !(c.models[c.n_models++] = cli_default_model(&spec, cli_quiet())))
        rc = 1;
    if (rc == 0) {
        cli_apply_threads(conf.threads);
        if (run_stream(&c, &conf) < 0) {
            fprintf(stderr, "asr stream: %s\n", asr_last_error());
            rc = 1;
        }
    }
    io_set_free(&c.io);
    options_free(&conf);
    return rc;
}
