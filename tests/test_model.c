/* test_model.c — src/recognizer/model.c: a whole model file loads, and
 * hostile models (non-finite weights, an LM section the ARPA reader refuses,
 * search settings out of range, network shapes beyond int) are refused
 * with a message naming the file. */
#include <check.h>

#include "text/alphabet.h"
#include "base/error.h"
#include "signal/features.h"
#include "recognizer/model.h"
#include "recognizer/options.h"
#include "base/model_file.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The last error holds WANT. */
static void error_has(const char *want)
{
    ck_assert_msg(strstr(asr_last_error(), want) != NULL, "message '%s' lacks '%s'",
                  asr_last_error(), want);
}

/* A direct-pipeline model over default MFCCs (13 values a frame) with
 * network NET and NW weights of value W; EXTRA sections (name, text pairs,
 * NULL-terminated) added. */
static void direct_model(model_file *m, const char *net, size_t nw, float w,
                         const char *const *extra)
{
    float *wt = malloc(nw * sizeof *wt);
    for (size_t i = 0; i < nw; i++) wt[i] = w;
    test_direct_model(m, net, wt, nw);
    free(wt);
    for (int i = 0; extra && extra[i]; i += 2) model_file_put_text(m, extra[i], extra[i + 1]);
}

/* Write M to NAME and load it: 0 or -1 (the message in asr_last_error). */
static int load(const model_file *m, const char *name)
{
    char *p = test_path(name);
    ck_assert_int_eq(model_file_write(m, test_io(), p), 0);
    pipeline_options opt = {.lm_weight = NAN, .word_penalty = NAN};
    asr_model am;
    int rc = asr_model_load(p, &opt, &am);
    if (rc == 0) asr_model_free(&am);
    free(p);
    return rc;
}

/* "affine out": 13 x 29 weights and 29 biases. */
#define AFFINE_OUT_WEIGHTS (13 * 29 + 29)

START_TEST(a_model_loads_and_non_finite_weights_are_refused)
{
    model_file m;
    direct_model(&m, "affine out\n", AFFINE_OUT_WEIGHTS, 0.5f, NULL);
    ck_assert_msg(load(&m, "good.mdl") == 0, "%s", asr_last_error());
    model_file_free(&m);
    /* NaN weights decoded to empty transcripts, exit status 0. */
    direct_model(&m, "affine out\n", AFFINE_OUT_WEIGHTS, NAN, NULL);
    ck_assert_int_eq(load(&m, "nan.mdl"), -1);
    error_has("nan.mdl: 406 of the 406 weights are not "
              "finite");
    model_file_free(&m);
    direct_model(&m, "affine out\n", AFFINE_OUT_WEIGHTS, 1.0f, NULL);
    float *w = (float *)model_file_get(&m, "weights")->data;
    w[17] = INFINITY;
    w[400] = -INFINITY;
    ck_assert_int_eq(load(&m, "inf.mdl"), -1);
    error_has("inf.mdl: 2 of the 406 weights");
    model_file_free(&m);
}
END_TEST

/* The character LM of a model file goes through the ARPA reader: the
 * second-\data\ heap overflow was reachable from a model. */
START_TEST(a_hostile_lm_section_is_refused)
{
    const char *extra[] = {"lm",
                           "\\data\\\nngram 1=2\n\n\\1-grams:\n-99\t<s>\n-0.5\ta\n"
                           "\\data\\\nngram 1=5\nngram 2=3\n\n\\2-grams:\n-0.1\t<s> a\n"
                           "-0.2\ta a\n-0.3\ta <s>\n-0.4\t<s> <s>\n\\end\\\n",
                           NULL};
    model_file m;
    direct_model(&m, "affine out\n", AFFINE_OUT_WEIGHTS, 0.5f, extra);
    ck_assert_int_eq(load(&m, "lm.mdl"), -1);
    error_has("model LM:7: a second \\data\\ block");
    model_file_free(&m);
}
END_TEST

/* Search settings from the file: a beam of 1e300 was converted to int
 * (undefined), weights beyond float's range likewise. */
START_TEST(search_settings_out_of_range_are_refused)
{
    const char *bad[] = {"beam=1e300\n", "beam=100001\n", "lm_weight=1e300\n",
                         "word_penalty=-1e39\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *extra[] = {"search", bad[i], NULL};
        model_file m;
        direct_model(&m, "affine out\n", AFFINE_OUT_WEIGHTS, 0.5f, extra);
        ck_assert_msg(load(&m, "search.mdl") == -1, "accepted %s", bad[i]);
        error_has("search.mdl: search settings");
        model_file_free(&m);
    }
}
END_TEST

/* Network shapes from the file whose frame arithmetic overflows int (a
 * stride or dilation near 2^31), or whose parameter count wraps size_t:
 * affine 2^17, then conv 2^17 channels of kernel 2^30 over 2^17 inputs is
 * 2^64 weights, counted as 0, so 44 * 2^17 + 29 weights "fit" it. (Refused
 * by network_build's bounds.) */
START_TEST(network_shapes_beyond_int_are_refused)
{
    model_file m;
    direct_model(&m, "conv 29 3 100000 1\n", 29 * 3 * 13 + 29, 0.5f, NULL);
    ck_assert_int_eq(load(&m, "stride.mdl"), -1);
    error_has("stride.mdl: network line 1");
    model_file_free(&m);
    direct_model(&m, "conv 29 3 1 2000000000\n", 29 * 3 * 13 + 29, 0.5f, NULL);
    ck_assert_int_eq(load(&m, "dilation.mdl"), -1);
    error_has("dilation.mdl: network line 1");
    model_file_free(&m);
    direct_model(&m, "affine 131072\nconv 131072 1073741824 1 1\naffine out\n",
                 (size_t)44 * 131072 + 29, 0.0f, NULL);
    ck_assert_int_eq(load(&m, "wrap.mdl"), -1);
    error_has("wrap.mdl: network line");
    model_file_free(&m);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, a_model_loads_and_non_finite_weights_are_refused);
    tcase_add_test(tc, a_hostile_lm_section_is_refused);
    tcase_add_test(tc, search_settings_out_of_range_are_refused);
    tcase_add_test(tc, network_shapes_beyond_int_are_refused);
    suite_add_tcase(s, tc);
    return s;
}
