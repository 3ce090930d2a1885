/* test_pipeline_multitask.c — the multitask pipeline through the pipeline
 * interface and the model layer: two heads (phones, characters) with the
 * staged and direct targets, the phone head masked for an utterance with a
 * word the lexicon lacks, decoding words from the phone head, a save/load
 * round trip through a model file on disk, and a log-softmax per head at
 * decode time. */
#include <check.h>

#include "text/alphabet.h"
#include "base/error.h"
#include "recognizer/model.h"
#include "pipelines/pipeline.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *lexicon_text = "one W AH N\ntwo T UW\nthree TH R IY\n";

static pipeline *make(const pipeline_ops **ops)
{
    *ops = pipeline_find("multitask");
    ck_assert_ptr_nonnull(*ops);
    pipeline_options opt = {
        .lexicon_path = test_write_text("lexicon.txt", lexicon_text), .lm_weight = 1, .beam = 8};
    pipeline *p = (*ops)->create(&opt);
    ck_assert_msg(p != NULL, "%s", asr_last_error());
    return p;
}

static int ph(const char *name)
{
    return 1 + lexicon_phone_index(name);
}

START_TEST(two_heads_with_phone_and_character_targets)
{
    const pipeline_ops *ops;
    pipeline *p = make(&ops);
    const pipeline_head *h;
    ck_assert_int_eq(ops->heads(p, &h), 2);
    ck_assert_str_eq(h[0].name, "phone");
    ck_assert_int_eq(h[0].num_symbols, 40);
    ck_assert(h[0].decode);
    ck_assert_str_eq(h[1].name, "char");
    ck_assert_int_eq(h[1].num_symbols, 29);
    ck_assert(!h[1].decode);
    ck_assert(h[0].loss == MT_CTC && h[1].loss == MT_CTC);
    ck_assert_str_eq(ops->symbol(p, 0, 1), "AA");
    ck_assert_str_eq(ops->symbol(p, 1, 28), "<space>");
    ck_assert_ptr_null(ops->symbol(p, 1, 29));
    ck_assert(ops->phone_units);

    int t[64];
    corpus_utt u = {.id = "u1", .text = "one two"};
    int want_ph[] = {ph("W"), ph("AH"), ph("N"), ph("T"), ph("UW")};
    ck_assert_int_eq(ops->targets(p, 0, &u, t, 64), 5);
    ck_assert_mem_eq(t, want_ph, sizeof want_ph);
    /* o n e <space> t w o */
    int want_ch[] = {15, 14, 5, 28, 20, 23, 15};
    ck_assert_int_eq(ops->targets(p, 1, &u, t, 64), 7);
    ck_assert_mem_eq(t, want_ch, sizeof want_ch);

    /* "four" is not in the lexicon: no phone label (not an error), but the
     * characters are there. */
    corpus_utt oov = {.id = "u2", .text = "one four"};
    ck_assert_int_eq(ops->targets(p, 0, &oov, t, 64), PIPELINE_NO_LABEL);
    ck_assert_int_eq(ops->targets(p, 1, &oov, t, 64), 8);
    /* With a phones line the lexicon is not needed. */
    corpus_utt lined = {.id = "u3", .text = "one four", .phones = "W AH N F AO R"};
    int want_line[] = {ph("W"), ph("AH"), ph("N"), ph("F"), ph("AO"), ph("R")};
    ck_assert_int_eq(ops->targets(p, 0, &lined, t, 64), 6);
    ck_assert_mem_eq(t, want_line, sizeof want_line);
    /* Real faults stay errors naming the utterance. */
    corpus_utt badph = {.id = "u4", .text = "one", .phones = "W XX N"};
    ck_assert_int_eq(ops->targets(p, 0, &badph, t, 64), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "u4"));
    corpus_utt badch = {.id = "u5", .text = "One"};
    ck_assert_int_eq(ops->targets(p, 1, &badch, t, 64), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "u5"));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "multitask"));
    ops->free(p);
}
END_TEST

/* Phone log-posteriors ([T][40]) putting 0.9 on each frame's symbol. */
static void peaked(float *lp, const int *path, int T)
{
    for (int t = 0; t < T; t++)
        for (int v = 0; v < 40; v++) lp[t * 40 + v] = v == path[t] ? logf(0.9f) : logf(0.1f / 39);
}

START_TEST(decodes_words_from_the_phone_head)
{
    const pipeline_ops *ops;
    pipeline *p = make(&ops);
    int path[] = {ph("T"), ph("UW"), 0, ph("W"), ph("AH"), ph("AH"), ph("N"), 0};
    float lp[8 * 40];
    peaked(lp, path, 8);
    const float *logp[2] = {lp, NULL}; /* the character head is not read */
    pipeline_result r;
    ck_assert_int_eq(ops->decode(p, logp, 8, &r), 0);
    ck_assert_str_eq(r.words, "two one");
    ck_assert_str_eq(r.units, "T UW W AH N");
    pipeline_result_free(&r);
    ops->free(p);
}
END_TEST

static corpus make_corpus(void)
{
    corpus c = {0};
    corpus_add(&c, "a", "a.wav", "one two", "s", NULL);
    corpus_add(&c, "b", "b.wav", "three four", "s", NULL); /* four: OOV */
    corpus_add(&c, "c", "c.wav", "two", "s", NULL);
    return c;
}

START_TEST(model_targets_mask_the_phone_head_of_an_oov_utterance)
{
    asr_model m = {0};
    m.ops = pipeline_find("multitask");
    pipeline_options opt = {.lexicon_path = test_write_text("lex2.txt", lexicon_text)};
    m.p = m.ops->create(&opt);
    ck_assert_ptr_nonnull(m.p);
    ck_assert_int_eq(asr_model_heads(&m), 69);
    ck_assert_int_eq(m.heads[1].offset, 40);
    ck_assert_int_eq(asr_model_set_head_weight(&m, "char", 0.5f), 0);
    ck_assert_float_eq(m.heads[1].weight, 0.5f);
    ck_assert_int_eq(asr_model_set_head_weight(&m, "word", 1), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "phone, char"));
    corpus c = make_corpus();
    train_set s = {0};
    s.n = c.n;
    s.x = calloc((size_t)c.n, sizeof(float *));
    s.T = calloc((size_t)c.n, sizeof(int));
    s.ids = calloc((size_t)c.n, sizeof(char *));
    int masked[2];
    ck_assert_int_eq(asr_model_targets(&m, &c, &s, masked), 0);
    ck_assert_int_eq(s.nheads, 2);
    ck_assert_int_eq(masked[0], 1);
    ck_assert_int_eq(masked[1], 0);
    ck_assert_ptr_nonnull(s.tg[0].y[0]);
    ck_assert_ptr_null(s.tg[0].y[1]); /* the OOV utterance: no phone label */
    ck_assert_ptr_nonnull(s.tg[1].y[1]);
    ck_assert_int_eq(s.tg[1].L[1], 10); /* t h r e e <space> f o u r */
    ck_assert_ptr_nonnull(s.tg[0].y[2]);
    ck_assert_int_eq(s.tg[0].L[2], 2); /* T UW */
    train_set_free(&s);
    corpus_free(&c);
    asr_model_free(&m);
}
END_TEST

START_TEST(save_and_load_round_trip_through_a_model_file)
{
    asr_model m = {0};
    m.ops = pipeline_find("multitask");
    pipeline_options opt = {.lexicon_path = test_write_text("lex3.txt", lexicon_text), .beam = 4};
    m.p = m.ops->create(&opt);
    ck_assert_ptr_nonnull(m.p);
    corpus c = make_corpus();
    ck_assert_int_eq(m.ops->prepare(m.p, &c), 0); /* an LM from the transcripts */
    features_config_default(&m.feats);
    int outputs = asr_model_heads(&m);
    ck_assert_int_eq(
        network_build(&m.net, "conv 8 3 1 1\nrelu 20\naffine out", features_dim(&m.feats), outputs),
        0);
    m.params = malloc(sizeof(float) * m.net.num_params);
    network_init(&m.net, m.params, 5);
    model_file f;
    ck_assert_int_eq(asr_model_base(&m, &f), 0);
    ck_assert_ptr_nonnull(model_file_text(&f, "symbols.char"));
    ck_assert_ptr_nonnull(model_file_text(&f, "lm"));
    model_file_put(&f, "weights", m.params, sizeof(float) * m.net.num_params);
    char *path = test_path("mt.mdl");
    ck_assert_int_eq(model_file_write(&f, test_io(), path), 0);

    asr_model back;
    ck_assert_msg(asr_model_load(path, &opt, &back) == 0, "%s", asr_last_error());
    ck_assert_str_eq(back.ops->name, "multitask");
    ck_assert_int_eq(back.nheads, 2);
    ck_assert_int_eq(back.net.out_dim, 69);
    ck_assert_int_eq(back.heads[1].offset, 40);
    ck_assert_int_eq(back.heads[1].width, 29);
    ck_assert_mem_eq(back.params, m.params, sizeof(float) * m.net.num_params);
    /* The restored lexicon and LM decode as the original does. */
    int path_ph[] = {ph("TH"), ph("R"), ph("IY"), 0, ph("T"), ph("UW")};
    float lp[6 * 40];
    peaked(lp, path_ph, 6);
    const float *logp[2] = {lp, NULL};
    pipeline_result r1, r2;
    ck_assert_int_eq(m.ops->decode(m.p, logp, 6, &r1), 0);
    ck_assert_int_eq(back.ops->decode(back.p, logp, 6, &r2), 0);
    ck_assert_str_eq(r1.words, "three two");
    ck_assert_str_eq(r2.words, r1.words);
    ck_assert_str_eq(r2.units, r1.units);
    pipeline_result_free(&r1);
    pipeline_result_free(&r2);
    asr_model_free(&back);

    /* A character table that is not this build's is refused. */
    model_file_put_text(&f, "symbols.char", "<blk>\na\n");
    ck_assert_int_eq(model_file_write(&f, test_io(), path), 0);
    ck_assert_int_eq(asr_model_load(path, &opt, &back), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "symbol table"));
    model_file_free(&f);
    corpus_free(&c);
    asr_model_free(&m);
}
END_TEST

/* A three-head test pipeline (x and z decoded, y not) whose decode records
 * what it was given. */
static const pipeline_head probe_heads[] = {
    {"x", 3, MT_CTC, 1}, {"y", 2, MT_CTC, 0}, {"z", 4, MT_CTC, 1}};
static double probe_worst; /* largest |sum_v exp(logp) - 1| over decoded rows */
static float probe_z0;     /* head z, frame 0, symbol 0 */
static int probe_saw_y;

static int probe_heads_fn(const pipeline *p, const pipeline_head **h)
{
    (void)p;
    *h = probe_heads;
    return 3;
}

static int probe_decode(const pipeline *p, const float *const *logp, int T, pipeline_result *res)
{
    (void)p;
    probe_worst = 0;
    for (int h = 0; h < 3; h += 2)
        for (int t = 0; t < T; t++) {
            int V = probe_heads[h].num_symbols;
            double s = 0;
            for (int v = 0; v < V; v++) s += exp(logp[h][t * V + v]);
            if (fabs(s - 1) > probe_worst) probe_worst = fabs(s - 1);
        }
    probe_saw_y = logp[1] != NULL;
    probe_z0 = logp[2][0];
    res->words = res->units = NULL;
    return 0;
}

START_TEST(decode_takes_a_log_softmax_per_head)
{
    pipeline_ops ops = {.name = "probe", .heads = probe_heads_fn, .decode = probe_decode};
    asr_model m = {0};
    m.ops = &ops;
    ck_assert_int_eq(asr_model_heads(&m), 9);
    m.net.out_dim = 9;
    /* Two frames; head y's columns are huge, so one softmax over the whole
     * row would leave heads x and z with almost no mass. */
    float logits[2 * 9] = {1, 2, 3, 50, 60, 0, 0, 0, 0, 3, 2, 1, 70, 40, 1, 1, 1, 1};
    pipeline_result r;
    ck_assert_int_eq(asr_model_search(&m, logits, 2, &r), 0);
    ck_assert_double_le(probe_worst, 1e-6);
    ck_assert_double_eq_tol(probe_z0, -log(4.0), 1e-6); /* z's frame 0 is uniform */
    ck_assert(!probe_saw_y);                            /* y is not decoded */
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("pipeline_multitask");
    TCase *tc = tcase_create("multitask");
    tcase_add_test(tc, two_heads_with_phone_and_character_targets);
    tcase_add_test(tc, decodes_words_from_the_phone_head);
    tcase_add_test(tc, model_targets_mask_the_phone_head_of_an_oov_utterance);
    tcase_add_test(tc, save_and_load_round_trip_through_a_model_file);
    tcase_add_test(tc, decode_takes_a_log_softmax_per_head);
    suite_add_tcase(s, tc);
    return s;
}
