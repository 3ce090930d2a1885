/* test_system.c — src/recognizer/system.c: a stored system (several models
 * in one file) recognises as its models combined (each recording keeps the
 * surer result, a padded view included); it is refused where one model is
 * needed; hostile "system" sections and members are refused with a message
 * naming the file. */
#include <check.h>

#include "base/error.h"
#include "base/model_file.h"
#include "recognizer/combine.h"
#include "recognizer/system.h"
#include "signal/audio.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "affine out" over default MFCCs (16 kHz): 13 x 29 weights and 29 biases. */
#define AFFINE_OUT_WEIGHTS (13 * 29 + 29)
#define RATE               16000

/* The last error holds WANT. */
static void error_has(const char *want)
{
    ck_assert_msg(strstr(asr_last_error(), want) != NULL, "message '%s' lacks '%s'",
                  asr_last_error(), want);
}

/* A direct model whose weights follow SEED into M (model_file_free it). */
static void direct_model(model_file *m, int seed)
{
    float w[AFFINE_OUT_WEIGHTS];
    for (int i = 0; i < AFFINE_OUT_WEIGHTS; i++)
        w[i] = (float)(((i + seed) * 7919 + seed * 104729) % 101 - 50) / 200;
    w[13 * 29] = -1; /* the blank's bias: characters come out */
    test_direct_model(m, "affine out\n", w, AFFINE_OUT_WEIGHTS);
}

/* The path of the model of SEED written as NAME (the caller frees it). */
static char *model_path(const char *name, int seed)
{
    model_file m;
    direct_model(&m, seed);
    char *p = test_path(name);
    ck_assert_int_eq(model_file_write(&m, test_io(), p), 0);
    model_file_free(&m);
    return p;
}

/* Nothing given: every setting from the model file (a 0 would override). */
static const pipeline_options no_settings = {.lm_weight = NAN,
                                             .word_penalty = NAN,
                                             .conf_scale = NAN,
                                             .conf_gap_scale = NAN,
                                             .conf_bias = NAN,
                                             .conf_agree_scale = NAN,
                                             .reject_gap = NAN,
                                             .reject_confidence = NAN,
                                             .time_start_shift = NAN,
                                             .time_end_shift = NAN};

/* 0.8 s of two tones in noise: something for the models to disagree on. */
static float *recording(size_t *n)
{
    *n = RATE * 8 / 10;
    float *x = test_sine(440, 0.3, *n, RATE), *y = test_sine(1250, 0.2, *n, RATE);
    for (size_t i = 0; i < *n; i++)
        x[i] +=
            (i > *n / 2 ? y[i] : 0) + 0.01f * (float)(((i * 2654435761u) >> 16) % 200 - 100) / 100;
    free(y);
    return x;
}

/* S recognises X (N samples at RATE) into RES. */
static void recognise(const asr_system *s, const float *x, size_t n, pipeline_result *res)
{
    features_extractor **fx = asr_system_extractors(s);
    ck_assert_msg(asr_system_recognize(s, fx, x, n, RATE, 0, res, NULL, NULL) == 0, "%s",
                  asr_last_error());
    asr_system_extractors_free(s, fx);
}

/* The result of the one model PATH on X. */
static void recognise_one(const char *path, const float *x, size_t n, pipeline_result *res)
{
    asr_system s;
    ck_assert_msg(asr_system_load(path, &no_settings, &s) == 0, "%s", asr_last_error());
    ck_assert_int_eq(s.n, 1);
    ck_assert(!asr_system_combines(&s));
    recognise(&s, x, n, res);
    asr_system_free(&s);
}

START_TEST(a_stored_system_recognises_as_its_models_combined)
{
    char *a = model_path("a.mdl", 1), *b = model_path("b.mdl", 2), *ab = test_path("ab.mdl");
    size_t n;
    float *x = recording(&n);
    pipeline_result ra, rb, rs;
    recognise_one(a, x, n, &ra);
    recognise_one(b, x, n, &rb);
    /* The test means something only if the two differ in confidence. */
    ck_assert_msg(ra.conf != rb.conf, "both models %g sure ('%s', '%s')", ra.conf, ra.words,
                  rb.words);
    const char *comb[] = {b};
    asr_system_spec sp = {.model = a, .combine = comb, .n_combine = 1};
    ck_assert_msg(asr_system_store(&sp, test_io(), ab) == 0, "%s", asr_last_error());
    asr_system s;
    ck_assert_msg(asr_system_load(ab, &no_settings, &s) == 0, "%s", asr_last_error());
    ck_assert_int_eq(s.n, 2);
    ck_assert_int_eq(s.k, 1);
    ck_assert(asr_system_combines(&s));
    recognise(&s, x, n, &rs);
    const pipeline_result *want = rb.conf > ra.conf ? &rb : &ra;
    ck_assert_str_eq(rs.words, want->words);
    ck_assert_float_eq(rs.conf, want->conf);
    asr_system_free(&s);
    pipeline_result_free(&rs);

    /* A padded view: A also hears the recording with 0.5 s of quiet around
     * it (the seed of the utterance's index, 0), and the surer result stays,
     * its times those of the recording. */
    char *ap = test_path("a-pad.mdl");
    asr_system_spec pad = {.model = a, .pad_view = 0.5};
    ck_assert_msg(asr_system_store(&pad, test_io(), ap) == 0, "%s", asr_last_error());
    audio padded = {malloc(n * sizeof(float)), n, RATE, RATE};
    memcpy(padded.x, x, n * sizeof(float));
    audio_pad_quiet(&padded, 0.5, 0);
    pipeline_result rp;
    recognise_one(a, padded.x, padded.n, &rp);
    ck_assert_msg(ra.conf != rp.conf, "both views %g sure", ra.conf);
    ck_assert_msg(asr_system_load(ap, &no_settings, &s) == 0, "%s", asr_last_error());
    ck_assert_double_eq(s.pad_view, 0.5);
    recognise(&s, x, n, &rs);
    want = rp.conf > ra.conf ? &rp : &ra;
    ck_assert_str_eq(rs.words, want->words);
    ck_assert_float_eq(rs.conf, want->conf);
    for (int w = 0; w < rs.nw; w++)
        ck_assert(rs.w[w].start >= 0 && rs.w[w].end <= (double)n / RATE + 0.05);
    asr_system_free(&s);
    pipeline_result_free(&rs);
    pipeline_result_free(&rp);
    pipeline_result_free(&ra);
    pipeline_result_free(&rb);
    audio_free(&padded);
    free(x);
    free(a);
    free(b);
    free(ab);
    free(ap);
}
END_TEST

/* A member that rejects the recording (it stores reject_confidence above its
 * result's confidence: reject.h) vetoes, however sure the other member is:
 * the system's result is rejected, with no words. Before, the surer member's
 * words won and the rejection was lost. */
START_TEST(a_member_that_rejects_vetoes_the_system)
{
    char *a = model_path("a.mdl", 1), *b = model_path("b.mdl", 2);
    size_t n;
    float *x = recording(&n);
    pipeline_result ra, rb;
    recognise_one(a, x, n, &ra);
    recognise_one(b, x, n, &rb);
    ck_assert_msg(ra.nw > 0 && rb.nw > 0 && ra.conf != rb.conf, "'%s' %g, '%s' %g", ra.words,
                  ra.conf, rb.words, rb.conf);
    /* The less sure member rejects: alone, it would lose the combination. */
    const int a_less = ra.conf < rb.conf;
    char *lo = test_path("lo.mdl"), *sys = test_path("veto.mdl"), set[64];
    snprintf(set, sizeof set, "reject_confidence=%.6f",
             (double)(a_less ? ra.conf : rb.conf) + 1e-4);
    const char *assign[] = {set};
    ck_assert_msg(asr_model_store_search(a_less ? a : b, assign, 1, test_io(), lo) == 0, "%s",
                  asr_last_error());
    const char *comb[] = {lo};
    asr_system_spec sp = {.model = a_less ? b : a, .combine = comb, .n_combine = 1};
    ck_assert_msg(asr_system_store(&sp, test_io(), sys) == 0, "%s", asr_last_error());
    asr_system s;
    ck_assert_msg(asr_system_load(sys, &no_settings, &s) == 0, "%s", asr_last_error());
    ck_assert(asr_system_rejects(&s));
    pipeline_result rs;
    recognise(&s, x, n, &rs);
    ck_assert_msg(rs.rejected && rs.nw == 0 && rs.words[0] == 0, "not vetoed: '%s' (%d)", rs.words,
                  rs.rejected);
    asr_system_free(&s);
    pipeline_result_free(&rs);

    /* The rejecting member first: it is kept. */
    asr_system_spec first = {
        .model = lo, .combine = (const char *[]){a_less ? b : a}, .n_combine = 1};
    ck_assert_msg(asr_system_store(&first, test_io(), sys) == 0, "%s", asr_last_error());
    ck_assert_msg(asr_system_load(sys, &no_settings, &s) == 0, "%s", asr_last_error());
    recognise(&s, x, n, &rs);
    ck_assert_msg(rs.rejected && rs.nw == 0, "not vetoed: '%s'", rs.words);
    asr_system_free(&s);
    pipeline_result_free(&rs);
    pipeline_result_free(&ra);
    pipeline_result_free(&rb);
    free(x);
    free(a);
    free(b);
    free(lo);
    free(sys);
}
END_TEST

/* A stored system's own calibration (confidence_scale, confidence_gap_scale,
 * confidence_bias in its "system" section) maps each word it keeps to
 * sigmoid(a logit(c) + g gap + b), c the confidence the system without it
 * gives the word, and the utterance's confidence is their product. A
 * calibration out of range is refused, naming the key. */
START_TEST(a_stored_system_calibrates_the_words_it_keeps)
{
    char *a = model_path("a.mdl", 1), *b = model_path("b.mdl", 2), *plain = test_path("p.mdl"),
         *cal = test_path("c.mdl");
    size_t n;
    float *x = recording(&n);
    const char *comb[] = {b};
    asr_system_spec sp = {.model = a, .combine = comb, .n_combine = 1};
    ck_assert_msg(asr_system_store(&sp, test_io(), plain) == 0, "%s", asr_last_error());
    sp.conf_scale = 0.5f;
    sp.conf_gap_scale = 0.25f;
    sp.conf_bias = -1;
    sp.conf_agree_scale = 2;
    ck_assert_msg(asr_system_store(&sp, test_io(), cal) == 0, "%s", asr_last_error());
    asr_system s;
    pipeline_result r0, r1;
    ck_assert_msg(asr_system_load(plain, &no_settings, &s) == 0, "%s", asr_last_error());
    recognise(&s, x, n, &r0);
    asr_system_free(&s);
    ck_assert_msg(asr_system_load(cal, &no_settings, &s) == 0, "%s", asr_last_error());
    ck_assert_float_eq(s.calib.conf_scale, 0.5f);
    recognise(&s, x, n, &r1);
    asr_system_free(&s);
    ck_assert_str_eq(r1.words, r0.words);
    ck_assert_int_eq(r1.nw, r0.nw);
    ck_assert_msg(r0.nw > 0, "no words to calibrate");
    double conf = 1;
    for (int w = 0; w < r0.nw; w++) {
        double c = r0.w[w].conf < 1e-4 ? 1e-4 : r0.w[w].conf > 1 - 1e-4 ? 1 - 1e-4 : r0.w[w].conf;
        /* Two members: each word is given by one (itself) or both. */
        ck_assert_msg(r0.w[w].agree == 0.5f || r0.w[w].agree == 1, "word %d: agreement %g", w,
                      r0.w[w].agree);
        double want =
            1 / (1 + exp(-(0.5 * log(c / (1 - c)) + 0.25 * r0.w[w].gap - 1 + 2 * r0.w[w].agree)));
        ck_assert_msg(fabs(r1.w[w].conf - want) < 1e-5, "word %d: %g, want %g (raw %g)", w,
                      r1.w[w].conf, want, r0.w[w].conf);
        conf *= want;
    }
    ck_assert_msg(fabs(r1.conf - conf) < 1e-5, "utterance %g, want %g", r1.conf, conf);
    pipeline_result_free(&r0);
    pipeline_result_free(&r1);

    sp.conf_scale = 1e9f;
    ck_assert_int_eq(asr_system_store(&sp, test_io(), cal), -1);
    error_has("confidence_scale");
    free(x);
    free(a);
    free(b);
    free(plain);
    free(cal);
}
END_TEST

/* A result of the words TEXT, each of confidence CONF; REJECTED: none. */
static pipeline_result result_of(const char *text, float conf, int rejected)
{
    pipeline_result r = {0};
    r.words = strdup(rejected ? "" : text);
    r.units = strdup("");
    r.w = calloc(8, sizeof *r.w);
    for (int i = 0; i < 8; i++) r.w[i].conf = conf;
    pipeline_result_name_words(&r);
    r.rejected = rejected;
    return r;
}

/* The combination keeps the surest result (or the first rejected one),
 * and each word it keeps carries the fraction of the members that give
 * that word at that place, and the mean of their times. */
START_TEST(the_combination_counts_its_members_agreement)
{
    pipeline_result keep[3] = {result_of("one two", 0.5f, 0), result_of("one two", 0.9f, 0),
                               result_of("one two", 0.5f, 0)};
    pipeline_result b[3] = {result_of("one three", 0.9f, 0), result_of("one three", 0.5f, 0),
                            result_of("one three", 0.9f, 1)};
    pipeline_result c[3] = {result_of("one two", 0.4f, 0), result_of("five", 0.4f, 0),
                            result_of("one two", 0.4f, 0)};
    /* Word times: member j's word w spans [j + w, j + w + 0.5). */
    pipeline_result *all[3][3] = {
        {&keep[0], &keep[1], &keep[2]}, {&b[0], &b[1], &b[2]}, {&c[0], &c[1], &c[2]}};
    for (int j = 0; j < 3; j++)
        for (int u = 0; u < 3; u++)
            for (int w = 0; w < all[j][u]->nw; w++) {
                all[j][u]->w[w].start = j + w;
                all[j][u]->w[w].end = j + w + 0.5;
            }
    pipeline_result *other[] = {b, c};
    results_combine(keep, other, 2, 3);
    /* The second member is the surest of utterance 0: "one" from all three,
     * "three" from itself alone. */
    ck_assert_str_eq(keep[0].words, "one three");
    ck_assert_float_eq_tol(keep[0].w[0].agree, 1.0f, 1e-6f);
    ck_assert_float_eq_tol(keep[0].w[1].agree, 1.0f / 3, 1e-6f);
    /* Its times: the mean of the members that give the word. */
    ck_assert_double_eq_tol(keep[0].w[0].start, (0 + 1 + 2) / 3.0, 1e-9);
    ck_assert_double_eq_tol(keep[0].w[0].end, (0 + 1 + 2) / 3.0 + 0.5, 1e-9);
    ck_assert_double_eq_tol(keep[0].w[1].start, 1 + 1, 1e-9);
    /* The first is the surest of utterance 1: "one" from two, "two" from one. */
    ck_assert_str_eq(keep[1].words, "one two");
    ck_assert_float_eq_tol(keep[1].w[0].agree, 2.0f / 3, 1e-6f);
    ck_assert_float_eq_tol(keep[1].w[1].agree, 1.0f / 3, 1e-6f);
    ck_assert_double_eq_tol(keep[1].w[0].start, (0 + 1) / 2.0, 1e-9);
    ck_assert_double_eq_tol(keep[1].w[1].end, 0 + 1 + 0.5, 1e-9);
    /* The second member rejects utterance 2: it vetoes, with no word. */
    ck_assert(keep[2].rejected);
    ck_assert_int_eq(keep[2].nw, 0);
    for (int i = 0; i < 3; i++) {
        pipeline_result_free(&keep[i]);
        pipeline_result_free(&b[i]);
        pipeline_result_free(&c[i]);
    }
}
END_TEST

START_TEST(a_stored_system_is_no_single_model)
{
    char *a = model_path("a.mdl", 1), *ab = test_path("ab.mdl"), *abc = test_path("abc.mdl");
    const char *comb[] = {a};
    asr_system_spec sp = {.model = a, .combine = comb, .n_combine = 1};
    ck_assert_int_eq(asr_system_store(&sp, test_io(), ab), 0);
    /* Where one network is needed (train --init, adapt, eval, models --set). */
    asr_model m;
    ck_assert_int_eq(asr_model_load(ab, &no_settings, &m), -1);
    error_has("ab.mdl: a system of several models stored as one");
    /* Not averaged with another, nor stored inside another. */
    asr_system s;
    const char *ens[] = {a};
    asr_system_spec e = {.model = ab, .ensemble = ens, .n_ensemble = 1};
    ck_assert_int_eq(asr_system_open(&e, &no_settings, &s), -1);
    error_has("an ensemble averages single models");
    const char *inner[] = {ab};
    asr_system_spec nest = {.model = a, .combine = inner, .n_combine = 1};
    ck_assert_int_eq(asr_system_store(&nest, test_io(), abc), -1);
    error_has("ab.mdl is itself a system");
    /* A system that combines nothing, or more than it may hold. */
    asr_system_spec one = {.model = a};
    ck_assert_int_eq(asr_system_store(&one, test_io(), abc), -1);
    error_has("combine nothing");
    const char *many[SYSTEM_MAX_MODELS] = {a, a, a, a, a, a, a, a};
    asr_system_spec nine = {.model = a, .combine = many, .n_combine = SYSTEM_MAX_MODELS};
    ck_assert_int_eq(asr_system_store(&nine, test_io(), abc), -1);
    error_has("at most 8");
    asr_system_spec far = {.model = a, .combine = comb, .n_combine = 1, .pad_view = 2.5};
    ck_assert_int_eq(asr_system_store(&far, test_io(), abc), -1);
    error_has("padded view of 2.5 s");
    /* Nothing written by the refusals. */
    FILE *f = fopen(abc, "rb");
    ck_assert_ptr_null(f);
    free(a);
    free(ab);
    free(abc);
}
END_TEST

/* A hostile "system" section (or member) and the message it must give. */
static const struct {
    const char *system, *member_extra, *want;
} hostile[] = {
    {"models = 0\n", NULL, "system line 1: models"},
    {"models = 9\n", NULL, "system line 1: models"},
    {"models = 2\npad_view = 3\n", NULL, "system line 2: pad_view"},
    {"models = 2\npad_view = nan\n", NULL, "system line 2: pad_view"},
    {"pad_view = 0.05\n", NULL, "has no 'models = N'"},
    {"models = 2\ncolour = red\n", NULL, "unknown key 'colour'"},
    {"models = 2\nconfidence_scale = 1\nconfidence_agree_scale = 1e9\n", NULL,
     "system line 3: confidence_agree_scale"},
    {"models = 2\nconfidence_agree_scale = nan\n", NULL, "system line 2: confidence_agree_scale"},
    {"models = 2\nmodels2\n", NULL, "system line 2: expected 'key = value'"},
    {"models = 1\n", NULL, "combines nothing"},
    {"models = 3\n", NULL, "(its model 3 of 3): no sections"},
    {"models = 2\n", "system", "(its model 2 of 2): a system of several models"},
    {"models = 2\n", "weights", "(its model 2 of 2): not a model"},
};

START_TEST(a_hostile_system_is_refused)
{
    model_file f, a;
    model_file_init(&f);
    direct_model(&a, 1);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < a.n; j++) {
            char name[128];
            snprintf(name, sizeof name, "model.%d/%s", i, a.sections[j].name);
            if (i == 1 && hostile[_i].member_extra &&
                !strcmp(a.sections[j].name, hostile[_i].member_extra))
                continue; /* the member's weights gone */
            model_file_put(&f, name, a.sections[j].data, a.sections[j].size);
        }
    if (hostile[_i].member_extra && !strcmp(hostile[_i].member_extra, "system"))
        model_file_put_text(&f, "model.1/system", "models = 2\n");
    model_file_put_text(&f, "system", hostile[_i].system);
    char *p = test_path("hostile.mdl");
    ck_assert_int_eq(model_file_write(&f, test_io(), p), 0);
    asr_system s;
    ck_assert_int_eq(asr_system_load(p, &no_settings, &s), -1);
    error_has("hostile.mdl");
    error_has(hostile[_i].want);
    model_file_free(&f);
    model_file_free(&a);
    free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("system");
    TCase *tc = tcase_create("system");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_stored_system_recognises_as_its_models_combined);
    tcase_add_test(tc, a_member_that_rejects_vetoes_the_system);
    tcase_add_test(tc, a_stored_system_calibrates_the_words_it_keeps);
    tcase_add_test(tc, the_combination_counts_its_members_agreement);
    tcase_add_test(tc, a_stored_system_is_no_single_model);
    tcase_add_loop_test(tc, a_hostile_system_is_refused, 0,
                        (int)(sizeof hostile / sizeof hostile[0]));
    suite_add_tcase(s, tc);
    return s;
}
