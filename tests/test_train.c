/* test_train.c — src/recognizer/train.c and decode.c as library calls, no
 * shell: a direct model trained on a toy corpus (tones as words) writes its
 * experiment directory and learns the corpus; an earlier run is refused,
 * continued (on the same data only) or replaced whole; decoding a data
 * directory writes one hypothesis per utterance, scores it, and refuses to
 * write over its own references. */
#include <check.h>

#include "base/error.h"
#include "base/fileio.h"
#include "recognizer/decode.h"
#include "recognizer/train.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle)
{
    return strstr(asr_last_error(), needle) != NULL;
}

/* The direct pipeline's defaults with a small network and a short run. */
static void toy_options(asr_options *o, int epochs)
{
    options_init(o);
    ck_assert_int_eq(options_read_pipeline(o, "direct"), 0);
    options_set_layers(o, "conv 64 5 2 1;relu 20;layernorm;conv 64 3 1 2;relu 20;affine out");
    const char *set[][2] = {{"lr", "0.003"},           {"warmup", "0"},   {"decay", "1"},
                            {"specaug", "0"},          {"threads", "1"},  {"batch_frames", "4000"},
                            {"max_batch", "3"},        {"patience", "0"}, {"seed", "3"},
                            {"features.num_mel", "20"}};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        ck_assert_int_eq(options_set(o, set[i][0], set[i][1]), 0);
    char e[16];
    snprintf(e, sizeof e, "%d", epochs);
    ck_assert_int_eq(options_set(o, "epochs", e), 0);
    o->train.quiet = 1;
}

/* VTLP range of the runs train() makes ("0": off). */
static const char *vtlp = "0";

static int train(const char *data, const char *exp, int epochs, int resume, int force)
{
    asr_options o;
    toy_options(&o, epochs);
    ck_assert_int_eq(options_set(&o, "vtlp", vtlp), 0);
    asr_train_job j = {"direct", &o, data, data, exp, NULL, resume, force, test_io()};
    int rc = asr_train(&j);
    options_free(&o);
    return rc;
}

static int lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    int n = 0, c;
    while ((c = fgetc(f)) != EOF) n += c == '\n';
    fclose(f);
    return n;
}

START_TEST(a_run_writes_its_experiment_and_learns)
{
    char *data = test_toy_corpus("d", 12), *exp = test_path("exp");
    ck_assert_int_eq(train(data, exp, 40, 0, 0), 0);
    const char *files[] = {"final.mdl", "best.mdl", "checkpoint.mdl", "log.tsv", "config"};
    char p[1024];
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", exp, files[i]);
        ck_assert_msg(path_is_regular(p), "%s not written", p);
    }
    snprintf(p, sizeof p, "%s/log.tsv", exp);
    ck_assert_int_eq(lines(p), 41); /* header and 40 epochs */
    /* Decoding the training set: one line per utterance, scored. */
    asr_options o;
    options_init(&o);
    char *hyp = test_path("hyp"), *model = test_path("exp/final.mdl");
    /* Whole, as trained: twelve utterances pin the toy network to where
     * each tone begins, and the 50 ms of quiet that decoding adds before
     * them by default (signal/endpoint.h ENDPOINT_LEAD_MS: the lead real
     * speech needs) loses it half its words. */
    asr_decode_job dj = {.system = {.model = model, .no_trim = 1},
                         .data_dir = data,
                         .out = hyp,
                         .conf = &o,
                         .io = test_io()};
    asr_decode_stats st;
    ck_assert_int_eq(asr_decode_dir(&dj, &st), 0);
    ck_assert_int_eq(st.utterances, 12);
    ck_assert(st.have_ref);
    ck_assert_int_eq(st.errors.n_ref, 24); /* words of the 12 transcripts */
    ck_assert_int_eq(lines(hyp), 12);
    /* The toy task is learnt (a few errors at most, of 24 words). */
    ck_assert_int_le(error_counts_errors(&st.errors), 3);
    /* Its own references are never an output. */
    char *text = test_path("d/text");
    dj.out = text;
    ck_assert_int_eq(asr_decode_dir(&dj, &st), -1);
    ck_assert(has("an input of this command"));
    ck_assert_int_eq(lines(text), 12);
    options_free(&o);
    free(data);
    free(exp);
    free(hyp);
    free(model);
    free(text);
}
END_TEST

START_TEST(an_earlier_run_is_continued_or_replaced_never_mixed)
{
    /* Names of its own: under CK_FORK=no (valgrind.sh) the tests of this
     * file share one scratch directory. */
    char *data = test_toy_corpus("d8", 8), *exp = test_path("exp8"), p[1024];
    ck_assert_int_eq(train(data, exp, 2, 0, 0), 0);
    /* Not again without saying what to do with it. */
    ck_assert_int_eq(train(data, exp, 2, 0, 0), -1);
    ck_assert(has("holds an earlier experiment"));
    /* Continued: on the same data only. */
    char *other = test_toy_corpus("o", 6);
    asr_options o;
    toy_options(&o, 4);
    asr_train_job j = {"direct", &o, other, data, exp, NULL, 1, 0, test_io()};
    ck_assert_int_eq(asr_train(&j), -1);
    ck_assert(has("other training data"));
    options_free(&o);
    ck_assert_int_eq(train(data, exp, 4, 1, 0), 0);
    snprintf(p, sizeof p, "%s/log.tsv", exp);
    ck_assert_int_eq(lines(p), 5);
    /* Replaced whole, once the new run is complete. */
    ck_assert_int_eq(train(data, exp, 1, 0, 1), 0);
    ck_assert_int_eq(lines(p), 2);
    snprintf(p, sizeof p, "%s.tmp", exp);
    ck_assert(!path_exists(p));
    free(data);
    free(other);
    free(exp);
}
END_TEST

static int same_bytes(const char *a, const char *b)
{
    FILE *f = fopen(a, "rb"), *g = fopen(b, "rb");
    int same = f && g, x, y;
    while (same && ((x = fgetc(f)) != EOF) + ((y = fgetc(g)) != EOF)) same = x == y;
    if (f) fclose(f);
    if (g) fclose(g);
    return same;
}

/* VTLP warps every training utterance anew each epoch, from the seed: two
 * runs give the same model byte for byte, and not the model of a run
 * without it; an interrupted run resumed draws the same warps as one run. */
START_TEST(vtlp_is_drawn_per_epoch_from_the_seed)
{
    char *data = test_toy_corpus("dv", 6), p[4][1024];
    const char *names[] = {"v1", "v2", "v0", "vr"};
    for (int k = 0; k < 4; k++) {
        char *exp = test_path(names[k]);
        vtlp = k == 2 ? "0" : "0.1";
        ck_assert_int_eq(train(data, exp, k == 3 ? 1 : 3, 0, 0), 0);
        if (k == 3) ck_assert_int_eq(train(data, exp, 3, 1, 0), 0); /* resumed to 3 */
        snprintf(p[k], sizeof p[k], "%s/final.mdl", exp);
        free(exp);
    }
    vtlp = "0";
    ck_assert_msg(same_bytes(p[0], p[1]), "two VTLP runs differ");
    ck_assert_msg(!same_bytes(p[0], p[2]), "VTLP changed nothing");
    ck_assert_msg(same_bytes(p[0], p[3]), "a resumed VTLP run differs from one run");
    free(data);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("train");
    TCase *tc = tcase_create("train");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, a_run_writes_its_experiment_and_learns);
    tcase_add_test(tc, an_earlier_run_is_continued_or_replaced_never_mixed);
    tcase_add_test(tc, vtlp_is_drawn_per_epoch_from_the_seed);
    suite_add_tcase(s, tc);
    return s;
}
