/* test_adapt.c — src/recognizer/speaker_xform.c and adapt.c: a model's
 * speaker transforms survive the file and damaged ones are refused naming
 * the fault; the identity changes nothing; the gradient the fit descends
 * matches central differences for both kinds; the fit lowers the loss of
 * features the model was not trained on. */
#include <check.h>

#include "base/error.h"
#include "base/rng.h"
#include "recognizer/adapt.h"
#include "recognizer/model.h"
#include "testgrad.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A direct model (13 MFCC values a frame, 29 characters) over NET with
 * random weights, loaded. */
static void tiny_model(asr_model *am, const char *desc)
{
    network net;
    ck_assert_int_eq(network_build(&net, desc, 13, 29), 0);
    size_t nw = net.num_params;
    float *w = malloc(nw * sizeof *w);
    network_init(&net, w, 7);
    network_free(&net);
    model_file m;
    test_direct_model(&m, desc, w, nw);
    free(w);
    pipeline_options opt = {.lm_weight = NAN, .word_penalty = NAN};
    ck_assert_msg(asr_model_from_file(&m, "tiny.mdl", &opt, am) == 0, "%s", asr_last_error());
    model_file_free(&m);
}

/* No ReLU: its kinks would trip the central differences. */
static const char *NET = "conv 8 3 1 1\nlayernorm\ndropout 0.3\naffine out\n";

static void error_has(const char *want)
{
    ck_assert_msg(strstr(asr_last_error(), want) != NULL, "message '%s' lacks '%s'",
                  asr_last_error(), want);
}

/* Load section BYTES[0..N) as "adapt" for AM's network: the return code. */
static int load_section(const asr_model *am, const void *bytes, size_t n)
{
    model_file f;
    model_file_init(&f);
    model_file_put(&f, "adapt", bytes, n);
    speaker_xforms x;
    int rc = speaker_xforms_load(&f, "m.mdl", &am->net, &x);
    speaker_xforms_free(&x);
    model_file_free(&f);
    return rc;
}

START_TEST(transforms_survive_the_file_and_damage_is_refused)
{
    asr_model am;
    tiny_model(&am, NET);
    int dim = xform_dim(XFORM_FEATURE, &am.net);
    ck_assert_int_eq(dim, 13 * 13 + 13);
    ck_assert_int_eq(xform_dim(XFORM_LAYERNORM, &am.net), 16);
    speaker_xforms x;
    speaker_xforms_init(&x, XFORM_FEATURE, dim);
    float *v = malloc(sizeof(float) * (size_t)dim);
    rng_state r;
    rng_seed(&r, 3);
    test_fill(&r, v, (size_t)dim, -1, 1);
    speaker_xforms_put(&x, "alice", v);
    v[0] = 42;
    speaker_xforms_put(&x, "*", v);
    model_file f;
    model_file_init(&f);
    speaker_xforms_save(&x, &f);
    speaker_xforms y;
    ck_assert_int_eq(speaker_xforms_load(&f, "m.mdl", &am.net, &y), 0);
    ck_assert_int_eq(y.n, 2);
    ck_assert_int_eq(memcmp(x.v, y.v, sizeof(float) * 2 * (size_t)dim), 0);
    /* A speaker without a transform of its own takes "*"'s. */
    ck_assert_int_eq(speaker_xforms_find(&y, "alice"), 0);
    ck_assert_int_eq(speaker_xforms_find(&y, "bob"), 1);
    ck_assert_int_eq(speaker_xforms_find(&y, NULL), 1);
    speaker_xforms_free(&y);
    /* Names put in any order are found (a sorted index), a replaced one keeps its place. */
    const char *names[] = {"zed", "bob", "amy", "carl", "al"};
    speaker_xforms z;
    speaker_xforms_init(&z, XFORM_FEATURE, dim);
    for (int i = 0; i < 5; i++) speaker_xforms_put(&z, names[i], v);
    speaker_xforms_put(&z, "bob", v);
    ck_assert_int_eq(z.n, 5);
    for (int i = 0; i < 5; i++) ck_assert_int_eq(speaker_xforms_find(&z, names[i]), i);
    ck_assert_int_eq(speaker_xforms_find(&z, "eve"), -1);
    speaker_xforms_free(&z);

    const model_section *sec = model_file_get(&f, "adapt");
    size_t n = sec->size;
    unsigned char *b = malloc(n + 8);
    memcpy(b, sec->data, n);
    ck_assert_int_eq(load_section(&am, b, n - 1), -1);
    error_has("cut short");
    b[n] = 0;
    ck_assert_int_eq(load_section(&am, b, n + 1), -1);
    error_has("1 bytes after the last transform");
    ck_assert_int_eq(load_section(&am, "feature 1 7\nx\n", 14), -1);
    error_has("feature transforms of 7 numbers, this network's have 182");
    ck_assert_int_eq(load_section(&am, "warp 1 182\n", 11), -1);
    error_has("is not 'KIND COUNT DIM'");
    ck_assert_int_eq(load_section(&am, "feature 0 182\n", 14), -1);
    error_has("0 transforms");
    /* A header promising what the bytes cannot hold allocates nothing for it. */
    ck_assert_int_eq(load_section(&am, "feature 100000 182\nx\n", 21), -1);
    error_has("100000 transforms need 73000000 bytes or more, it has 2");
    /* Both records named alice. */
    memcpy(b, sec->data, n);
    unsigned char *second = memchr(b + strlen("feature 2 182\nalice\n") + 4 * (size_t)dim, '*', 4);
    ck_assert_ptr_nonnull(second);
    unsigned char *c = malloc(n + 8);
    size_t head = (size_t)(second - b);
    memcpy(c, b, head);
    memcpy(c + head, "alice", 5);
    memcpy(c + head + 5, second + 1, n - head - 1);
    ck_assert_int_eq(load_section(&am, c, n + 4), -1);
    error_has("speaker alice has two transforms");
    /* A NaN in a transform. */
    memcpy(b, sec->data, n);
    float nan = NAN;
    memcpy(b + strlen("feature 2 182\nalice\n") + 8, &nan, sizeof nan);
    ck_assert_int_eq(load_section(&am, b, n), -1);
    error_has("NaN");
    free(b);
    free(c);
    free(v);
    model_file_free(&f);
    speaker_xforms_free(&x);
    asr_model_free(&am);
}
END_TEST

START_TEST(the_identity_changes_nothing)
{
    asr_model am;
    tiny_model(&am, NET);
    int dim = xform_dim(XFORM_FEATURE, &am.net);
    float *v = malloc(sizeof(float) * (size_t)dim), x[5 * 13], y[5 * 13];
    rng_state r;
    rng_seed(&r, 5);
    test_fill(&r, x, 5 * 13, -3, 3);
    xform_identity(XFORM_FEATURE, &am.net, am.params, v);
    xform_apply_features(XFORM_FEATURE, v, x, y, 5, 13);
    ck_assert_int_eq(memcmp(x, y, sizeof x), 0);
    /* The layer norms' identity is the model's own parameters. */
    float *p = malloc(sizeof(float) * am.net.num_params);
    memcpy(p, am.params, sizeof(float) * am.net.num_params);
    float *ln = malloc(sizeof(float) * 16);
    xform_identity(XFORM_LAYERNORM, &am.net, am.params, ln);
    xform_apply_params(XFORM_LAYERNORM, &am.net, ln, p);
    ck_assert_int_eq(memcmp(p, am.params, sizeof(float) * am.net.num_params), 0);
    free(ln);
    free(p);
    free(v);
    asr_model_free(&am);
}
END_TEST

/* Two utterances of 9 and 6 frames with random features and targets. */
static float feats0[9 * 13], feats1[6 * 13];
static int lab0[3] = {3, 7, 3}, lab1[2] = {12, 1};
static asr_model gm;
static train_set gs;
static float *gv;
static xform_kind gk;

static void tiny_set(void)
{
    rng_state r;
    rng_seed(&r, 11);
    test_fill(&r, feats0, 9 * 13, -2, 2);
    test_fill(&r, feats1, 6 * 13, -2, 2);
    static float *x[2] = {feats0, feats1};
    static int T[2] = {9, 6}, L[2] = {3, 2};
    static int *y[2] = {lab0, lab1};
    static char *ids[2] = {"u0", "u1"};
    memset(&gs, 0, sizeof gs);
    gs.x = x;
    gs.T = T;
    gs.n = 2;
    gs.dim = 13;
    gs.ids = ids;
    gs.nheads = 1;
    gs.tg[0].y = y;
    gs.tg[0].L = L;
}

static double loss_at(void)
{
    return adapt_loss(&gm, &gs, gk, gv, NULL);
}

START_TEST(the_fit_gradient_matches_central_differences)
{
    tiny_model(&gm, NET);
    tiny_set();
    xform_kind kinds[2] = {XFORM_FEATURE, XFORM_LAYERNORM};
    for (int i = 0; i < 2; i++) {
        gk = kinds[i];
        int dim = xform_dim(gk, &gm.net);
        gv = malloc(sizeof(float) * (size_t)dim);
        float *g = malloc(sizeof(float) * (size_t)dim);
        xform_identity(gk, &gm.net, gm.params, gv);
        rng_state r;
        rng_seed(&r, 13);
        for (int j = 0; j < dim; j++) gv[j] += 0.1f * (float)(rng_uniform(&r) - 0.5);
        double l = adapt_loss(&gm, &gs, gk, gv, g);
        ck_assert(isfinite(l) && l > 0);
        test_fd_check(gv, g, dim, loss_at, 1e-2, 2e-2);
        free(g);
        free(gv);
    }
    asr_model_free(&gm);
}
END_TEST

START_TEST(the_fit_lowers_the_loss_of_features_the_model_never_saw)
{
    tiny_model(&gm, NET);
    tiny_set();
    corpus c;
    memset(&c, 0, sizeof c);
    corpus_add(&c, "u0", "a.wav", "cat", "s", NULL);
    corpus_add(&c, "u1", "b.wav", "la", "s", NULL);
    pipeline_result first[2];
    memset(first, 0, sizeof first);
    adapt_config cfg;
    adapt_config_default(&cfg);
    cfg.supervised = 1;
    cfg.min_seconds = 0; /* 0.15 s of audio */
    speaker_xforms x;
    adapt_stats st;
    ck_assert_msg(adapt_fit(&gm, &c, &gs, first, NULL, &cfg, 1000, &x, &st) == 0, "%s",
                  asr_last_error());
    ck_assert_int_eq(x.n, 1);
    ck_assert_str_eq(x.speakers[0], "*");
    ck_assert_int_eq(st.sp[0].used, 2);
    ck_assert_int_eq(st.sp[0].adapted, 1);
    ck_assert_msg(st.sp[0].loss_after < 0.9 * st.sp[0].loss_before, "loss %g -> %g",
                  st.sp[0].loss_before, st.sp[0].loss_after);
    adapt_stats_free(&st);
    speaker_xforms_free(&x);
    corpus_free(&c);
    asr_model_free(&gm);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("adapt");
    TCase *tc = tcase_create("adapt");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, transforms_survive_the_file_and_damage_is_refused);
    tcase_add_test(tc, the_identity_changes_nothing);
    tcase_add_test(tc, the_fit_gradient_matches_central_differences);
    tcase_add_test(tc, the_fit_lowers_the_loss_of_features_the_model_never_saw);
    suite_add_tcase(s, tc);
    return s;
}
