/* test_api.c — the embedding API (include/asr/asr.h) keeps its header's
 * promises where a caller gets things wrong: NULL handles and NULL result
 * pointers fail with -1 (or NULL) and a message, never a crash; recordings
 * beyond the documented limits (3600 s, 2^28 samples) are refused before
 * they are read; a live stream takes no samples after asr_live_finish; the
 * settings refuse a lexicon a direct model would ignore, empty paths and
 * standard input; a result's words (asr_recognize_result, asr_live_words)
 * are its text's, timed in order within the recording or the utterance,
 * with confidences in [0, 1]. Linked with libasr; only the model file it recognises
 * with is made by the library's internals (testutil). */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, MAP_NORESERVE */

#include <check.h>

#include <asr/asr.h>

#include "base/model_file.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* "affine out" over default MFCCs: 13 x 29 weights and 29 biases. */
#define AFFINE_OUT_WEIGHTS (13 * 29 + 29)

/* A direct model (default 16 kHz MFCCs, one affine layer of weights that
 * differ): enough to recognise with; its words do not matter here. */
static const char *model_path(void)
{
    static char *path;
    if (path) return path;
    float w[AFFINE_OUT_WEIGHTS];
    for (int i = 0; i < AFFINE_OUT_WEIGHTS; i++) w[i] = (float)((i * 7919) % 101 - 50) / 50;
    model_file m;
    test_direct_model(&m, "affine out\n", w, AFFINE_OUT_WEIGHTS);
    path = test_path("direct.mdl");
    ck_assert_int_eq(model_file_write(&m, test_io(), path), 0);
    model_file_free(&m);
    return path;
}

static asr_recognizer *open_model(void)
{
    char err[256];
    asr_recognizer *r = asr_recognizer_open(model_path(), NULL, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    return r;
}

/* MSG holds WANT. */
static void has(const char *msg, const char *want)
{
    ck_assert_msg(msg && strstr(msg, want), "message '%s' lacks '%s'", msg ? msg : "(null)", want);
}

/* Each call with a NULL handle (or result pointer), one per loop index so
 * that one crash hides no other; 0 when it failed as the header says. */
static float samples[1600];

static int null_rate(void)
{
    return asr_recognizer_rate(NULL) == -1 ? 0 : 1;
}

static int null_recognize(void)
{
    char *words = (char *)"untouched";
    return asr_recognize(NULL, samples, 1600, 8000, &words) == -1 && !words ? 0 : 1;
}

static int null_recognize_file(void)
{
    char *words = (char *)"untouched";
    return asr_recognize_file(NULL, "x.wav", &words) == -1 && !words ? 0 : 1;
}

static int null_live_open(void)
{
    return asr_live_open(NULL, 8000, 0) == NULL ? 0 : 1;
}

static int null_live_feed(void)
{
    return asr_live_feed(NULL, samples, 1600) == -1 ? 0 : 1;
}

static int null_live_finish(void)
{
    return asr_live_finish(NULL) == -1 ? 0 : 1;
}

static int null_live_final(void)
{
    asr_live_result res;
    return asr_live_final(NULL, &res) == -1 ? 0 : 1;
}

static int null_live_partial(void)
{
    asr_live_result res;
    return asr_live_partial(NULL, &res) == -1 ? 0 : 1;
}

static int (*const null_calls[])(void) = {
    null_rate,      null_recognize,   null_recognize_file, null_live_open,
    null_live_feed, null_live_finish, null_live_final,     null_live_partial,
};
#define N_NULL_CALLS (int)(sizeof null_calls / sizeof null_calls[0])

START_TEST(a_null_handle_fails)
{
    ck_assert_msg(null_calls[_i]() == 0, "call %d with a NULL handle did not fail", _i);
    /* The message says why, with no global state: the error functions say it for NULL. */
    has(asr_recognizer_error(NULL), "the handle is NULL");
    has(asr_live_error(NULL), "the handle is NULL");
    asr_live_close(NULL);
    asr_recognizer_close(NULL);
}
END_TEST

/* A NULL result pointer: -1 and a message in the handle naming the argument. */
START_TEST(a_null_result_pointer_fails)
{
    asr_recognizer *r = open_model();
    float *x = test_sine(440, 0.5, 8000, 8000);
    asr_live *s = asr_live_open(r, 8000, 0);
    ck_assert_ptr_nonnull(s);
    char *wav = test_write_wav("one.wav", x, 8000, 8000);
    switch (_i) {
    case 0:
        ck_assert_int_eq(asr_recognize(r, x, 8000, 8000, NULL), -1);
        has(asr_recognizer_error(r), "asr_recognize: WORDS is NULL");
        break;
    case 1:
        ck_assert_int_eq(asr_recognize_file(r, wav, NULL), -1);
        has(asr_recognizer_error(r), "asr_recognize_file: WORDS is NULL");
        break;
    case 2:
        ck_assert_int_eq(asr_live_final(s, NULL), -1);
        has(asr_live_error(s), "asr_live_final: OUT is NULL");
        break;
    case 3:
        ck_assert_int_eq(asr_live_partial(s, NULL), -1);
        has(asr_live_error(s), "asr_live_partial: OUT is NULL");
        break;
    }
    /* With somewhere to put them, the same samples are recognised. */
    char *words = NULL;
    ck_assert_msg(asr_recognize(r, x, 8000, 8000, &words) == 0, "%s", asr_recognizer_error(r));
    ck_assert_ptr_nonnull(words);
    asr_free(words);
    asr_live_close(s);
    asr_recognizer_close(r);
    free(wav);
    free(x);
}
END_TEST

/* N samples that cost no memory until touched (a private anonymous map),
 * the last one NaN: a library that reads them before checking the length
 * fails on the NaN instead (quickly: untouched pages read as zeros). */
static float *untouched(size_t n, size_t *bytes)
{
    *bytes = n * sizeof(float);
    float *x = mmap(NULL, *bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    ck_assert_ptr_ne(x, MAP_FAILED);
    x[n - 1] = NAN;
    return x;
}

START_TEST(an_hour_and_a_second_is_refused_unread)
{
    asr_recognizer *r = open_model();
    char *words = NULL;
    size_t bytes;
    /* 3601 s at 1000 Hz (3.6e6 samples, within the sample limit). */
    float *x = untouched(3601000, &bytes);
    ck_assert_int_eq(asr_recognize(r, x, 3601000, 1000, &words), -1);
    ck_assert_ptr_null(words);
    has(asr_recognizer_error(r), "(3601.000 s) is more than the 3600 s or 268435456 samples");
    /* An hour exactly is within the limit: its samples are looked at (a NaN). */
    x[3599999] = NAN;
    ck_assert_int_eq(asr_recognize(r, x, 3600000, 1000, &words), -1);
    has(asr_recognizer_error(r), "sample 3599999 is nan");
    munmap(x, bytes);
    asr_recognizer_close(r);
}
END_TEST

START_TEST(more_samples_than_a_file_may_hold_are_refused_unread)
{
    asr_recognizer *r = open_model();
    char *words = NULL;
    size_t bytes, n = ((size_t)1 << 28) + 1;
    /* 2^28 + 1 samples at 384 kHz: 699 s, but more samples than a file may hold. */
    float *x = untouched(n, &bytes);
    ck_assert_int_eq(asr_recognize(r, x, n, 384000, &words), -1);
    ck_assert_ptr_null(words);
    has(asr_recognizer_error(r), "268435457 samples at 384000 Hz");
    munmap(x, bytes);
    asr_recognizer_close(r);
}
END_TEST

/* Take every final result of S; returns how many. */
static int drain(asr_live *s)
{
    asr_live_result res;
    int n = 0, rc;
    while ((rc = asr_live_final(s, &res)) == 1) n++;
    ck_assert_int_eq(rc, 0);
    return n;
}

START_TEST(a_finished_stream_takes_no_more_samples)
{
    asr_recognizer *r = open_model();
    asr_live *s = asr_live_open(r, 8000, 0);
    ck_assert_ptr_nonnull(s);
    /* 0.5 s of silence, 0.5 s of tone, 1 s of silence: one utterance. */
    float *tone = test_sine(440, 0.5, 4000, 8000), quiet[8000] = {0};
    ck_assert_int_eq(asr_live_feed(s, quiet, 4000), 0);
    ck_assert_int_eq(asr_live_feed(s, tone, 4000), 0);
    ck_assert_int_eq(asr_live_feed(s, quiet, 8000), 0);
    ck_assert_int_eq(asr_live_finish(s), 0);
    ck_assert_int_eq(drain(s), 1);
    /* Another utterance after the end was taken and recognised. */
    ck_assert_int_eq(asr_live_feed(s, tone, 4000), -1);
    has(asr_live_error(s), "the stream has ended");
    ck_assert_int_eq(asr_live_feed(s, quiet, 8000), -1);
    ck_assert_int_eq(asr_live_finish(s), 0); /* again: nothing to end */
    ck_assert_int_eq(drain(s), 0);
    asr_live_close(s);
    asr_recognizer_close(r);
    free(tone);
}
END_TEST

/* How many words TEXT has (separated by single spaces). */
static int count_words(const char *text)
{
    int n = *text != '\0';
    for (const char *p = text; *p; p++) n += *p == ' ';
    return n;
}

/* RES holds TEXT's words, in order, each within [FROM, TO] seconds, with
 * confidences in [0, 1] (and the result's). */
static void words_of(const asr_result *res, const char *text, double from, double to)
{
    ck_assert_str_eq(asr_result_text(res), text);
    int n = asr_result_count(res);
    ck_assert_int_eq(n, count_words(text));
    double last = from, c = asr_result_confidence(res);
    ck_assert(c >= 0 && c <= 1);
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        const char *w;
        double start, end, conf;
        ck_assert_int_eq(asr_result_word(res, i, &w, &start, &end, &conf), 0);
        ck_assert_int_eq(strncmp(text + at, w, strlen(w)), 0);
        at += strlen(w) + 1;
        ck_assert_msg(start >= last && start < end && end <= to + 1e-6,
                      "word %d '%s' at %.3f-%.3f, after %.3f, before %.3f", i, w, start, end, last,
                      to);
        ck_assert(conf >= 0 && conf <= 1);
        last = end;
    }
    ck_assert_int_eq(asr_result_word(res, n, NULL, NULL, NULL, NULL), -1);
    ck_assert_int_eq(asr_result_word(res, -1, NULL, NULL, NULL, NULL), -1);
}

/* 0.5 s of silence, 0.5 s of a tone, 1 s of silence at 8 kHz; *N samples. */
static float *tone_between_silences(size_t *n)
{
    float *x = calloc(16000, sizeof *x), *tone = test_sine(440, 0.5, 4000, 8000);
    memcpy(x + 4000, tone, 4000 * sizeof *x);
    free(tone);
    *n = 16000;
    return x;
}

START_TEST(a_result_has_its_words_timed)
{
    asr_recognizer *r = open_model();
    size_t n;
    float *x = tone_between_silences(&n);
    char *words;
    asr_result *res;
    ck_assert_int_eq(asr_recognize(r, x, n, 8000, &words), 0);
    ck_assert_int_eq(asr_recognize_result(r, x, n, 8000, &res), 0);
    ck_assert_int_gt(count_words(words), 0); /* the arbitrary model says something */
    words_of(res, words, 0, 2.0);
    ck_assert_int_eq(asr_result_rejected(res), 0);
    asr_result_free(res);
    /* Rejected (no confidence reaches 1): no words, text "". */
    const char *reject[] = {"reject_confidence=1", NULL};
    char err[256];
    asr_recognizer *rr = asr_recognizer_open(model_path(), reject, err, sizeof err);
    ck_assert_msg(rr != NULL, "%s", err);
    ck_assert_int_eq(asr_recognize_result(rr, x, n, 8000, &res), 0);
    ck_assert_int_eq(asr_result_rejected(res), 1);
    ck_assert_str_eq(asr_result_text(res), "");
    ck_assert_int_eq(asr_result_count(res), 0);
    asr_result_free(res);
    asr_recognizer_close(rr);
    ck_assert_int_eq(asr_result_rejected(NULL), -1);
    ck_assert_int_eq(asr_recognize_result(r, x, n, 8000, NULL), -1);
    has(asr_recognizer_error(r), "OUT is NULL");
    ck_assert_int_eq(asr_recognize_result(NULL, x, n, 8000, &res), -1);
    ck_assert_ptr_null(res);
    ck_assert_int_eq(asr_recognize_file_result(r, "/nonexistent.wav", &res), -1);
    ck_assert_ptr_null(res);
    ck_assert_ptr_null(asr_result_text(NULL));
    ck_assert_int_eq(asr_result_count(NULL), -1);
    ck_assert(asr_result_confidence(NULL) == -1);
    ck_assert_int_eq(asr_result_word(NULL, 0, NULL, NULL, NULL, NULL), -1);
    asr_result_free(NULL);
    /* A stream: the final result's words, timed from the stream's start. */
    asr_live *s = asr_live_open(r, 8000, 0);
    ck_assert_ptr_null(asr_live_words(s, 1));
    ck_assert_int_eq(asr_live_feed(s, x, n), 0);
    ck_assert_int_eq(asr_live_finish(s), 0);
    asr_live_result lr;
    ck_assert_int_eq(asr_live_final(s, &lr), 1);
    const asr_result *lw = asr_live_words(s, 1);
    ck_assert_ptr_nonnull(lw);
    words_of(lw, lr.words, lr.start, lr.end);
    ck_assert_ptr_null(asr_live_words(NULL, 1));
    asr_live_close(s);
    free(words);
    free(x);
    asr_recognizer_close(r);
}
END_TEST

/* asr_recognizer_open(model, {SETTING, NULL}) fails with a message holding WANT. */
static void refused(const char *setting, const char *want)
{
    const char *settings[] = {setting, NULL};
    char err[512] = "";
    asr_recognizer *r = asr_recognizer_open(model_path(), settings, err, sizeof err);
    ck_assert_msg(r == NULL, "%s was accepted", setting);
    has(err, want);
}

/* Settings a model would ignore or misread, and what the message says. */
static const char *const bad_settings[][2] = {
    /* A direct model read no lexicon: any file, even /etc/passwd, was ignored. */
    {"lexicon=/etc/passwd", "lexicon /etc/passwd: a direct model takes no lexicon"},
    /* Empty paths were "none": a variable left unset decoded without the LM. */
    {"lm=", "lm = : an empty path"},
    {"lexicon=", "lexicon = : an empty path"},
    /* "-" is the embedding program's standard input. */
    {"lm=-", "not standard input"},
    {"lexicon=-", "not standard input"},
};
#define N_BAD_SETTINGS (int)(sizeof bad_settings / sizeof bad_settings[0])

START_TEST(a_setting_the_model_would_ignore_or_misread_is_refused)
{
    refused(bad_settings[_i][0], bad_settings[_i][1]);
}
END_TEST

START_TEST(settings_a_direct_model_takes_are_taken)
{
    const char *ok[] = {"beam=4", "lm_weight=0.5", "word_penalty=-1", NULL};
    char err[256];
    asr_recognizer *r = asr_recognizer_open(model_path(), ok, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    ck_assert_int_eq(asr_recognizer_rate(r), 16000);
    asr_recognizer_close(r);
}
END_TEST

/* A model of scaled weights (SCALE: how sure it is) as "model.I/" sections of F. */
static void add_member(model_file *f, int i, float scale)
{
    float w[AFFINE_OUT_WEIGHTS];
    for (int j = 0; j < AFFINE_OUT_WEIGHTS; j++) w[j] = scale * (float)((j * 7919) % 101 - 50) / 50;
    model_file m;
    test_direct_model(&m, "affine out\n", w, AFFINE_OUT_WEIGHTS);
    for (int j = 0; j < m.n; j++) {
        char name[64];
        snprintf(name, sizeof name, "model.%d/%s", i, m.sections[j].name);
        model_file_put(f, name, m.sections[j].data, m.sections[j].size);
    }
    model_file_free(&m);
}

/* A stored system (two models in one file, recognizer/system.h) opens by
 * its path and recognises as its surer model: the same result as the
 * models it holds, opened one by one, give with the higher confidence. */
START_TEST(a_stored_system_recognises_as_its_surer_model)
{
    static const float scale[2] = {0.1f, 0.3f};
    char *path[3] = {test_path("m0.mdl"), test_path("m1.mdl"), test_path("sys.mdl")};
    model_file sys;
    model_file_init(&sys);
    for (int i = 0; i < 2; i++) {
        model_file one;
        model_file_init(&one);
        add_member(&one, 0, scale[i]);
        add_member(&sys, i, scale[i]);
        /* The member alone: its sections without the prefix. */
        model_file m;
        model_file_init(&m);
        for (int j = 0; j < one.n; j++)
            model_file_put(&m, one.sections[j].name + strlen("model.0/"), one.sections[j].data,
                           one.sections[j].size);
        ck_assert_int_eq(model_file_write(&m, test_io(), path[i]), 0);
        model_file_free(&m);
        model_file_free(&one);
    }
    model_file_put_text(&sys, "system", "models = 2\npad_view = 0\n");
    ck_assert_int_eq(model_file_write(&sys, test_io(), path[2]), 0);
    model_file_free(&sys);
    size_t n;
    float *x = tone_between_silences(&n);
    asr_result *res[3];
    char err[256];
    for (int i = 0; i < 3; i++) {
        asr_recognizer *r = asr_recognizer_open(path[i], NULL, err, sizeof err);
        ck_assert_msg(r != NULL, "%s", err);
        ck_assert_int_eq(asr_recognizer_rate(r), 16000);
        ck_assert_int_eq(asr_recognize_result(r, x, n, 8000, &res[i]), 0);
        asr_recognizer_close(r);
    }
    ck_assert_msg(asr_result_confidence(res[0]) != asr_result_confidence(res[1]),
                  "both models %g sure", asr_result_confidence(res[0]));
    int surer = asr_result_confidence(res[1]) > asr_result_confidence(res[0]);
    ck_assert_str_eq(asr_result_text(res[2]), asr_result_text(res[surer]));
    ck_assert_double_eq(asr_result_confidence(res[2]), asr_result_confidence(res[surer]));
    for (int i = 0; i < 3; i++) {
        asr_result_free(res[i]);
        free(path[i]);
    }
    free(x);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_add_loop_test(tc, a_null_handle_fails, 0, N_NULL_CALLS);
    tcase_add_loop_test(tc, a_null_result_pointer_fails, 0, 4);
    tcase_add_test(tc, an_hour_and_a_second_is_refused_unread);
    tcase_add_test(tc, more_samples_than_a_file_may_hold_are_refused_unread);
    tcase_add_test(tc, a_finished_stream_takes_no_more_samples);
    tcase_add_test(tc, a_result_has_its_words_timed);
    tcase_add_loop_test(tc, a_setting_the_model_would_ignore_or_misread_is_refused, 0,
                        N_BAD_SETTINGS);
    tcase_add_test(tc, settings_a_direct_model_takes_are_taken);
    tcase_add_test(tc, a_stored_system_recognises_as_its_surer_model);
    suite_add_tcase(s, tc);
    return s;
}
