/* asr.c — the embedding API (asr/asr.h) over the library: a recognizer is a
 * loaded recognizer/system.h system, one model or a stored combination,
 * and its feature extractors; a live stream is a
 * recognizer/stream.h stream whose results are queued for the caller to take.
 * Messages of the layers below (their thread-local last error) are copied
 * into the handle, so the caller reads them from what it holds. A NULL
 * handle has nowhere to keep one: the call fails, and the error functions
 * given NULL say that the handle was NULL (no global state of our own). */
#include <asr/asr.h>

#include "base/build_info.h"

#include "base/alloc.h"
#include "base/error.h"
#include "recognizer/model.h"
#include "recognizer/options.h"
#include "recognizer/stream.h"
#include "recognizer/system.h"
#include "signal/audio.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_LEN 1024

struct asr_recognizer {
    asr_options conf; /* the search settings: the model file's own */
    asr_system sys;
    features_extractor **fx; /* asr_system_extractors */
    char err[ERR_LEN];
};

struct asr_result {
    char *text;
    double conf;
    int n;
    ctc_word *w; /* times in seconds from the start of the recording or stream */
    int rejected;
};

typedef struct {
    double start, end;
    char *words;
    asr_result *res; /* the same words with their times */
} live_item;

struct asr_live {
    asr_recognizer *r;
    asr_stream *s;
    live_item *q; /* final results not yet taken: q[head..n) */
    size_t head, n, cap;
    live_item taken;   /* the one asr_live_final returned last */
    live_item partial; /* words NULL: none */
    int finished;      /* asr_live_finish was called: no more samples */
    char err[ERR_LEN];
};

const char *asr_version(void)
{
    return build_version();
}

/* ERR := the library's last message (with a prefix when FMT is given). */
static int fail(char *err, size_t size, const char *fmt, ...)
{
    if (!err || !size) return -1;
    if (!fmt) {
        snprintf(err, size, "%s", asr_last_error());
        return -1;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* The settings a recognizer takes: the search's, never training's. A path
 * of "-" would be the line reader's standard input, which is the embedding
 * program's, not the library's to read. */
static int search_setting(asr_options *o, const char *kv)
{
    static const char *const keys[] = {"beam",
                                       "lm_weight",
                                       "word_penalty",
                                       "confidence_scale",
                                       "confidence_gap_scale",
                                       "confidence_bias",
                                       "reject_gap",
                                       "reject_confidence",
                                       "time_start_shift",
                                       "time_end_shift",
                                       "lm",
                                       "lexicon"};
    enum { FIRST_PATH = 10 }; /* lm, lexicon */
    const char *eq = strchr(kv, '=');
    size_t len = eq ? (size_t)(eq - kv) : strlen(kv);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strlen(keys[i]) != len || strncmp(kv, keys[i], len)) continue;
        if (i >= FIRST_PATH && eq && !strcmp(eq + 1, "-"))
            return asr_error("setting '%s': a recognizer reads files, not standard input", kv);
        return options_assign(o, kv);
    }
    return asr_error("setting '%.*s': a recognizer takes beam, lm_weight, word_penalty, "
                     "confidence_scale, confidence_gap_scale, confidence_bias, reject_gap, "
                     "reject_confidence, time_start_shift, time_end_shift, lm and lexicon",
                     (int)(len > 64 ? 64 : len), kv);
}

asr_recognizer *asr_recognizer_open(const char *path, const char *const *settings, char *err,
                                    size_t err_size)
{
    if (!path) return fail(err, err_size, "asr_recognizer_open: no model path"), NULL;
    asr_recognizer *r = xcalloc(1, sizeof *r);
    options_init(&r->conf);
    int rc = 0;
    for (int i = 0; settings && settings[i] && rc == 0; i++)
        rc = search_setting(&r->conf, settings[i]);
    if (rc < 0 || asr_system_load(path, &r->conf.search, &r->sys) < 0) {
        fail(err, err_size, NULL);
        options_free(&r->conf);
        free(r);
        return NULL;
    }
    r->fx = asr_system_extractors(&r->sys);
    return r;
}

void asr_recognizer_close(asr_recognizer *r)
{
    if (!r) return;
    asr_system_extractors_free(&r->sys, r->fx);
    asr_system_free(&r->sys);
    options_free(&r->conf);
    free(r);
}

const char *asr_recognizer_error(const asr_recognizer *r)
{
    return r ? r->err : "no recognizer: the handle is NULL (asr_recognizer_open failed?)";
}

int asr_recognizer_rate(const asr_recognizer *r)
{
    return r ? r->sys.m[0].feats.rate : -1;
}

/* Samples from a caller: present, and as a file's must be (audio.h). */
static int check_samples(const float *x, size_t n, char *err)
{
    if (n && !x) return fail(err, ERR_LEN, "no samples (NULL) for %zu", n);
    return audio_check_samples("samples", x, n, 0) < 0 ? fail(err, ERR_LEN, NULL) : 0;
}

/* The start of asr_recognize*: -1 when R or WORDS is NULL, else *WORDS := NULL. */
static int recognize_args(asr_recognizer *r, char **words, const char *fn)
{
    if (words) *words = NULL;
    if (!r) return -1;
    if (!words) return fail(r->err, ERR_LEN, "%s: WORDS is NULL (nowhere to put them)", fn);
    return 0;
}

/* A copy of RES's words, every time plus OFFSET seconds. */
static asr_result *result_copy(const pipeline_result *res, double offset)
{
    asr_result *a = xcalloc(1, sizeof *a);
    a->text = xstrdup(res->words ? res->words : "");
    a->conf = res->conf;
    a->rejected = res->rejected;
    a->n = res->nw;
    a->w = xcalloc((size_t)a->n + 1, sizeof *a->w);
    for (int i = 0; i < a->n; i++)
        a->w[i] = (ctc_word){res->w[i].start + offset, res->w[i].end + offset, res->w[i].conf,
                             xstrdup(res->w[i].word),  res->w[i].gap,          res->w[i].agree};
    return a;
}

/* Recognise X into RES (asr_recognize's checks); -1 with R's message. */
static int recognize(asr_recognizer *r, const float *x, size_t n, int rate, pipeline_result *res)
{
    memset(res, 0, sizeof *res);
    if (rate < AUDIO_MIN_RATE || rate > AUDIO_MAX_RATE)
        return fail(r->err, ERR_LEN, "sample rate %d Hz: expected %d to %d", rate, AUDIO_MIN_RATE,
                    AUDIO_MAX_RATE);
    /* The length before the samples are looked at: an hour is the limit of a file too. */
    if (audio_check_length("samples", n, rate) < 0) return fail(r->err, ERR_LEN, NULL);
    if (check_samples(x, n, r->err) < 0) return -1;
    if (asr_system_recognize(&r->sys, r->fx, x, n, rate, 0, res, NULL, NULL) < 0)
        return fail(r->err, ERR_LEN, NULL);
    return 0;
}

/* The audio of file PATH for FN; -1 with R's message. */
static int file_audio(asr_recognizer *r, const char *path, const char *fn, audio *a)
{
    memset(a, 0, sizeof *a);
    if (!path) return fail(r->err, ERR_LEN, "%s: no path", fn);
    return audio_read(path, 0, a) < 0 ? fail(r->err, ERR_LEN, NULL) : 0;
}

int asr_recognize(asr_recognizer *r, const float *x, size_t n, int rate, char **words)
{
    if (recognize_args(r, words, "asr_recognize") < 0) return -1;
    pipeline_result res;
    if (recognize(r, x, n, rate, &res) < 0) return -1;
    *words = xstrdup(res.words ? res.words : "");
    pipeline_result_free(&res);
    return 0;
}

int asr_recognize_result(asr_recognizer *r, const float *x, size_t n, int rate, asr_result **out)
{
    if (out) *out = NULL;
    if (!r) return -1;
    if (!out) return fail(r->err, ERR_LEN, "asr_recognize_result: OUT is NULL (nowhere to put it)");
    pipeline_result res;
    if (recognize(r, x, n, rate, &res) < 0) return -1;
    *out = result_copy(&res, 0);
    pipeline_result_free(&res);
    return 0;
}

int asr_recognize_file_result(asr_recognizer *r, const char *path, asr_result **out)
{
    if (out) *out = NULL;
    if (!r) return -1;
    if (!out)
        return fail(r->err, ERR_LEN, "asr_recognize_file_result: OUT is NULL (nowhere to put it)");
    audio a;
    if (file_audio(r, path, "asr_recognize_file_result", &a) < 0) return -1;
    int rc = asr_recognize_result(r, a.x, a.n, a.rate, out);
    audio_free(&a);
    return rc;
}

const char *asr_result_text(const asr_result *res)
{
    return res ? res->text : NULL;
}

double asr_result_confidence(const asr_result *res)
{
    return res ? res->conf : -1;
}

int asr_result_rejected(const asr_result *res)
{
    return res ? res->rejected : -1;
}

int asr_result_count(const asr_result *res)
{
    return res ? res->n : -1;
}

int asr_result_word(const asr_result *res, int i, const char **word, double *start, double *end,
                    double *conf)
{
    if (!res || i < 0 || i >= res->n) return -1;
    if (word) *word = res->w[i].word;
    if (start) *start = res->w[i].start;
    if (end) *end = res->w[i].end;
    if (conf) *conf = res->w[i].conf;
    return 0;
}

void asr_result_free(asr_result *res)
{
    if (!res) return;
    for (int i = 0; i < res->n; i++) free(res->w[i].word);
    free(res->w);
    free(res->text);
    free(res);
}

int asr_recognize_file(asr_recognizer *r, const char *path, char **words)
{
    if (recognize_args(r, words, "asr_recognize_file") < 0) return -1;
    audio a;
    if (file_audio(r, path, "asr_recognize_file", &a) < 0) return -1;
    int rc = asr_recognize(r, a.x, a.n, a.rate, words);
    audio_free(&a);
    return rc;
}

void asr_free(void *p)
{
    free(p);
}

/* ---- live audio ---- */

static void item_free(live_item *it)
{
    free(it->words);
    asr_result_free(it->res);
    it->words = NULL;
    it->res = NULL;
}

static int on_result(void *ctx, const asr_stream_result *res)
{
    asr_live *l = ctx;
    double start = (double)res->start / res->rate;
    pipeline_result words = {(char *)res->words, NULL,     (ctc_word *)res->w, res->nw,
                             res->conf,          res->gap, res->rejected};
    live_item it = {start, (double)res->end / res->rate, xstrdup(res->words),
                    result_copy(&words, start)};
    if (!res->final) {
        item_free(&l->partial);
        l->partial = it;
        return 0;
    }
    item_free(&l->partial);
    if (l->n == l->cap) {
        if (l->head > 0) { /* reuse the room of results already taken */
            memmove(l->q, l->q + l->head, (l->n - l->head) * sizeof *l->q);
            l->n -= l->head;
            l->head = 0;
        }
        if (l->n == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 8;
            l->q = xrealloc(l->q, l->cap * sizeof *l->q);
        }
    }
    l->q[l->n++] = it;
    return 0;
}

asr_live *asr_live_open(asr_recognizer *r, int rate, int partial_ms)
{
    if (!r) return NULL;
    asr_live *l = xcalloc(1, sizeof *l);
    l->r = r;
    endpoint_config ep;
    endpoint_config_default(&ep);
    l->s = asr_stream_open(&r->sys, rate, &ep, partial_ms, on_result, l);
    if (!l->s) {
        fail(r->err, ERR_LEN, NULL);
        free(l);
        return NULL;
    }
    return l;
}

int asr_live_feed(asr_live *l, const float *x, size_t n)
{
    if (!l) return -1;
    /* After the end, samples would start an utterance nobody ends. */
    if (l->finished)
        return fail(l->err, ERR_LEN, "asr_live_feed: the stream has ended (asr_live_finish)");
    if (check_samples(x, n, l->err) < 0) return -1;
    if (n == 0) return 0;
    return asr_stream_feed(l->s, x, n) < 0 ? fail(l->err, ERR_LEN, NULL) : 0;
}

int asr_live_finish(asr_live *l)
{
    if (!l) return -1;
    if (l->finished) return 0;
    l->finished = 1;
    return asr_stream_finish(l->s) < 0 ? fail(l->err, ERR_LEN, NULL) : 0;
}

/* The start of asr_live_final/partial: -1 when L or OUT is NULL. */
static int result_args(asr_live *l, const asr_live_result *out, const char *fn)
{
    if (!l) return -1;
    if (!out) return fail(l->err, ERR_LEN, "%s: OUT is NULL (nowhere to put the result)", fn);
    return 0;
}

int asr_live_final(asr_live *l, asr_live_result *out)
{
    if (result_args(l, out, "asr_live_final") < 0) return -1;
    if (l->head == l->n) return 0;
    item_free(&l->taken);
    l->taken = l->q[l->head++];
    *out = (asr_live_result){l->taken.start, l->taken.end, l->taken.words};
    return 1;
}

int asr_live_partial(asr_live *l, asr_live_result *out)
{
    if (result_args(l, out, "asr_live_partial") < 0) return -1;
    if (!l->partial.words) return 0;
    *out = (asr_live_result){l->partial.start, l->partial.end, l->partial.words};
    return 1;
}

const asr_result *asr_live_words(const asr_live *l, int final)
{
    if (!l) return NULL;
    return final ? l->taken.res : l->partial.res;
}

const char *asr_live_error(const asr_live *l)
{
    return l ? l->err : "no stream: the handle is NULL (asr_live_open failed?)";
}

void asr_live_close(asr_live *l)
{
    if (!l) return;
    asr_stream_close(l->s);
    for (size_t i = l->head; i < l->n; i++) item_free(&l->q[i]);
    free(l->q);
    item_free(&l->taken);
    item_free(&l->partial);
    free(l);
}
