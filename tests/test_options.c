/* test_options.c — the one table of configuration keys (recognizer/options.h):
 * the same key has the same limits wherever it is read (a file, --set, a
 * model file's section), an unknown key or choice names the closest one, the sections
 * model files store keep their exact text, the pipelines' compiled-in
 * defaults are their .conf files, and the special keys (layers, dropout,
 * freeze, head weights) do what they say. */
#include <check.h>

#include "base/error.h"
#include "pipelines/defaults.h"
#include "recognizer/options.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle)
{
    return strstr(asr_last_error(), needle) != NULL;
}

START_TEST(one_key_one_range_everywhere)
{
    asr_options o;
    options_init(&o);
    /* lm_weight is [-100, 100] as a key, as --set, in a file and in a model. */
    ck_assert_int_eq(options_set(&o, "lm_weight", "200"), -1);
    ck_assert(has("lm_weight = 200") && has("-100") && has("100"));
    ck_assert_int_eq(options_assign(&o, "lm_weight=200"), -1);
    ck_assert_int_eq(options_read_text(&o, "# a comment\nlm_weight = 200\n", "f.conf", NULL), -1);
    ck_assert(has("f.conf:2:"));
    pipeline_options p = pipeline_options_defaults;
    ck_assert_int_eq(pipeline_options_parse("lm_weight=200\n", &p), -1);
    ck_assert_int_eq(options_set(&o, "lm_weight", "99.5"), 0);
    ck_assert_float_eq(o.search.lm_weight, 99.5f);
    /* Not numbers, or not whole: refused, named. */
    const char *bad[][2] = {{"epochs", "0"},        {"epochs", "2.5"},      {"lr", "nan"},
                            {"seed", "-1"},         {"beam", "100000"},     {"optimizer", "adamw"},
                            {"features.kind", "x"}, {"features.cmvn", "2"}, {"threads", "-1"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(options_set(&o, bad[i][0], bad[i][1]), -1);
        ck_assert(has(bad[i][0]));
    }
    options_free(&o);
}
END_TEST

START_TEST(unknown_keys_name_the_closest)
{
    asr_options o;
    options_init(&o);
    ck_assert_int_eq(options_set(&o, "epoch", "3"), -1);
    ck_assert(has("unknown configuration key 'epoch'") && has("did you mean 'epochs'"));
    ck_assert_int_eq(options_set(&o, "features.num_mels", "3"), -1);
    ck_assert(has("did you mean 'features.num_mel'"));
    ck_assert_int_eq(options_set(&o, "colour", "blue"), -1);
    ck_assert(has("unknown configuration key 'colour'") && !has("did you mean"));
    /* The value of a choice too (the API's settings go through here). */
    ck_assert_int_eq(options_set(&o, "optimizer", "adamm"), -1);
    ck_assert(has("optimizer = adamm: expected sgd, momentum, rmsprop or adam (did you mean "
                  "'adam'?)"));
    ck_assert_int_eq(options_set(&o, "features.window", "hanning"), -1);
    ck_assert(has("expected hamming or povey (did you mean 'hamming'?)"));
    ck_assert_int_eq(options_set(&o, "features.kind", "spectrogram"), -1);
    ck_assert(has("expected fbank or mfcc") && !has("did you mean"));
    /* A model's search section holds search settings only. */
    pipeline_options p = pipeline_options_defaults;
    ck_assert_int_eq(pipeline_options_parse("lr=0.1\n", &p), -1);
    ck_assert(has("not a search setting"));
    options_free(&o);
}
END_TEST

/* The sections model files hold keep the text models have always held, so
 * a model trained before the table reads back bit for bit. */
START_TEST(sections_keep_their_text)
{
    features_config c;
    features_config_default(&c);
    char *f = features_config_format(&c);
    ck_assert_str_eq(f, "kind=mfcc\nrate=16000\nframe_ms=25\nhop_ms=10\ndither=0\nseed=0\n"
                        "preemph=0.970000029\nwindow=povey\nnum_mel=23\nlow_hz=20\nhigh_hz=0\n"
                        "num_ceps=13\nlifter=22\ndeltas=0\ncmvn=0\n");
    features_config d;
    features_config_default(&d);
    d.num_mel = 40;
    ck_assert_int_eq(features_config_parse(f, &d), 0);
    ck_assert_mem_eq(&c, &d, sizeof c);
    free(f);
    pipeline_options s = {NULL, NULL, 3.0f, -1.5f, 16, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    char *t = pipeline_options_format(&s);
    ck_assert_str_eq(t, "beam=16\nlm_weight=3\nword_penalty=-1.5\n");
    pipeline_options back = pipeline_options_defaults;
    ck_assert_int_eq(pipeline_options_parse(t, &back), 0);
    ck_assert_int_eq(back.beam, 16);
    ck_assert_float_eq(back.word_penalty, -1.5f);
    free(t);
    /* A section's text is checked as a whole: num_ceps > num_mel. */
    ck_assert_int_eq(features_config_parse("num_mel=10\nnum_ceps=13\n", &d), -1);
    ck_assert(has("num_ceps"));
}
END_TEST

START_TEST(pipeline_defaults_are_their_conf_files)
{
    for (const char *const *p = (const char *const[]){"direct", "staged", "multitask", NULL}; *p;
         p++) {
        char *path = malloc(strlen(getenv("srcdir") ? getenv("srcdir") : ".") + 64);
        sprintf(path, "%s/pipelines/%s.conf", getenv("srcdir") ? getenv("srcdir") : ".", *p);
        asr_options a, b;
        options_init(&a);
        options_init(&b);
        ck_assert_int_eq(options_read_pipeline(&a, *p), 0);
        ck_assert_int_eq(options_read_file(&b, path), 0);
        ck_assert_str_eq(a.layers, b.layers);
        ck_assert_mem_eq(&a.train, &b.train, sizeof a.train);
        ck_assert_mem_eq(&a.feats, &b.feats, sizeof a.feats);
        ck_assert_int_gt(strlen(a.layers), 10);
        options_free(&a);
        options_free(&b);
        free(path);
    }
    ck_assert_ptr_null(pipeline_defaults("nosuch"));
    asr_options o;
    options_init(&o);
    ck_assert_int_eq(options_read_pipeline(&o, "nosuch"), -1);
    options_free(&o);
}
END_TEST

START_TEST(layers_dropout_freeze_and_head_weights)
{
    asr_options o;
    options_init(&o);
    options_set_layers(&o, "conv 8 3 1 1;dropout;relu;dropout 0.2;affine out");
    ck_assert_str_eq(o.layers, "conv 8 3 1 1\ndropout\nrelu\ndropout 0.2\naffine out");
    /* Every dropout line rewritten, growing the text (the fuzzer's overflow). */
    ck_assert_int_eq(options_set_dropout(&o, "0.123457"), 0);
    ck_assert_str_eq(o.layers, "conv 8 3 1 1\ndropout 0.123457\nrelu\ndropout 0.123457\n"
                               "affine out\n");
    options_set_layers(&o, "affine out");
    ck_assert_int_eq(options_set_dropout(&o, "0.1"), -1);
    ck_assert(has("no dropout layer"));
    ck_assert_int_eq(options_set(&o, "freeze", "all-but-last"), 0);
    ck_assert_int_eq(o.freeze, OPTIONS_ALL_BUT_LAST);
    ck_assert_int_eq(options_set(&o, "freeze", "3"), 0);
    ck_assert_int_eq(o.freeze, 3);
    ck_assert_int_eq(options_set(&o, "freeze", "some"), -1);
    ck_assert_int_eq(options_set(&o, "multitask.char_weight", "0.5"), 0);
    ck_assert_int_eq(o.n_head_weights, 1);
    ck_assert_float_eq(o.head_weights[0].weight, 0.5f);
    ck_assert_int_eq(options_set(&o, "multitask.char_weight", "-1"), -1);
    ck_assert_int_eq(options_assign(&o, "layer=relu"), -1);
    ck_assert(has("--layers"));
    ck_assert_int_eq(options_set(&o, "lexicon", "/some/lexicon.txt"), 0);
    ck_assert_str_eq(o.search.lexicon_path, "/some/lexicon.txt");
    options_free(&o);
}
END_TEST

/* EXP/config reads back into the same configuration. */
START_TEST(written_configuration_reads_back)
{
    asr_options a, b;
    options_init(&a);
    ck_assert_int_eq(options_read_pipeline(&a, "multitask"), 0);
    ck_assert_int_eq(options_set(&a, "lr", "0.0125"), 0);
    ck_assert_int_eq(options_set(&a, "freeze", "all-but-last"), 0);
    ck_assert_int_eq(options_set(&a, "init", "x.mdl"), 0);
    char *path = test_path("config");
    FILE *f = fopen(path, "w");
    ck_assert_int_eq(options_write(&a, "multitask", f), 0);
    fclose(f);
    options_init(&b);
    ck_assert_int_eq(options_read_file(&b, path), 0);
    ck_assert_str_eq(a.layers, b.layers);
    ck_assert_mem_eq(&a.train, &b.train, sizeof a.train);
    ck_assert_mem_eq(&a.feats, &b.feats, sizeof a.feats);
    ck_assert_int_eq(b.freeze, OPTIONS_ALL_BUT_LAST);
    ck_assert_str_eq(b.init, "x.mdl");
    ck_assert_int_eq(b.n_head_weights, 2);
    options_free(&a);
    options_free(&b);
    free(path);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("options");
    tcase_add_test(tc, one_key_one_range_everywhere);
    tcase_add_test(tc, unknown_keys_name_the_closest);
    tcase_add_test(tc, sections_keep_their_text);
    tcase_add_test(tc, pipeline_defaults_are_their_conf_files);
    tcase_add_test(tc, layers_dropout_freeze_and_head_weights);
    tcase_add_test(tc, written_configuration_reads_back);
    suite_add_tcase(s, tc);
    return s;
}
