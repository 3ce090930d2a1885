/* test_pipeline_direct.c — the direct pipeline's spelling, symbol table,
 * transcript search and character LM, through the pipeline interface only;
 * the search settings a model file stores. */
#include <check.h>

#include "recognizer/options.h"
#include "base/error.h"
#include "pipelines/pipeline.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static pipeline *make(const pipeline_ops **ops, int beam)
{
    *ops = pipeline_find("direct");
    ck_assert_ptr_nonnull(*ops);
    pipeline_options opt = {.beam = beam};
    pipeline *p = (*ops)->create(&opt);
    ck_assert_ptr_nonnull(p);
    return p;
}

START_TEST(targets_spell_the_transcript)
{
    const pipeline_ops *ops;
    pipeline *p = make(&ops, 1);
    const pipeline_head *h;
    ck_assert_int_eq(ops->heads(p, &h), 1);
    ck_assert_int_eq(h[0].num_symbols, 29);
    ck_assert_int_eq(h[0].loss, MT_CTC);
    ck_assert(h[0].decode);
    corpus_utt u = {.id = "u1", .text = "  oh  don't "};
    int t[32];
    int n = ops->targets(p, 0, &u, t, 32);
    /* o h <space> d o n ' t */
    int want[] = {15, 8, 28, 4, 15, 14, 27, 20};
    ck_assert_int_eq(n, 8);
    for (int i = 0; i < n; i++) ck_assert_int_eq(t[i], want[i]);
    ck_assert_str_eq(ops->symbol(p, 0, 27), "'");
    ck_assert_str_eq(ops->symbol(p, 0, 0), "<blk>");
    ck_assert_ptr_null(ops->symbol(p, 0, 29));

    corpus_utt bad = {.id = "spk1-007", .text = "Hello"};
    ck_assert_int_eq(ops->targets(p, 0, &bad, t, 32), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "spk1-007"));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "'H'"));
    corpus_utt longer = {.id = "u2", .text = "abcdef"};
    ck_assert_int_eq(ops->targets(p, 0, &longer, t, 4), -1);
    ops->free(p);
}
END_TEST

/* Frames that put almost all mass on the given symbols (blank where -1 → 0). */
static void peaked(float *lp, const int *path, int T)
{
    for (int t = 0; t < T; t++)
        for (int v = 0; v < 29; v++) lp[t * 29 + v] = v == path[t] ? logf(0.9f) : logf(0.1f / 28);
}

START_TEST(decode_to_words_and_units)
{
    /* "hi  there" with a doubled space, leading space and blanks between. */
    int path[] = {28, 8, 8, 0, 9, 28, 0, 28, 20, 8, 5, 18, 0, 5, 28};
    float lp[15 * 29];
    peaked(lp, path, 15);
    for (int beam = 1; beam <= 8; beam += 7) {
        const pipeline_ops *ops;
        pipeline *p = make(&ops, beam);
        pipeline_result r;
        const float *heads[1] = {lp};
        ck_assert_int_eq(ops->decode(p, heads, 15, &r), 0);
        ck_assert_str_eq(r.words, "hi there");
        /* blank between the two spaces keeps both as units; words collapse them */
        ck_assert_str_eq(r.units, "<space> h i <space> <space> t h e r e <space>");
        pipeline_result_free(&r);
        ops->free(p);
    }
}
END_TEST

START_TEST(save_and_load_check_the_symbol_table)
{
    const pipeline_ops *ops;
    pipeline *p = make(&ops, 1);
    model_file m;
    model_file_init(&m);
    ck_assert_int_eq(ops->save(p, &m), 0);
    pipeline_options opt = {.beam = 4};
    pipeline *q = ops->load(&m, &opt);
    ck_assert_ptr_nonnull(q);
    ops->free(q);
    model_file_put_text(&m, "symbols", "<blk>\nAA\n");
    ck_assert_ptr_null(ops->load(&m, &opt));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "symbol table"));
    model_file_free(&m);
    ops->free(p);
}
END_TEST

/* The character LM: a 5-gram of "eight"s and "three"s, stored in the model
 * file, flips an acoustically ambiguous frame: the network puts 0.5 on 'h'
 * and 0.4 on 'g' after "ei", so the best path spells "eihht"; with the
 * LM in the beam search the word is "eight". Greedy decoding ignores the
 * LM. An LM over other tokens is refused as not a character LM. */
START_TEST(a_character_lm_corrects_the_spelling)
{
    corpus train = {0};
    corpus_utt utts[3] = {{.id = "a", .text = "eight"},
                          {.id = "b", .text = "three eight"},
                          {.id = "c", .text = "eight three"}};
    train.utts = utts;
    train.n = 3;
    const pipeline_ops *ops;
    pipeline *p = make(&ops, 1);
    ck_assert_int_eq(ops->prepare(p, &train), 0);
    model_file m;
    model_file_init(&m);
    ck_assert_int_eq(ops->save(p, &m), 0);
    ck_assert_ptr_nonnull(strstr(model_file_text(&m, "lm"), "\n-"));
    ops->free(p);
    /* e i [h .5 / g .4] h t */
    float lp[5 * 29];
    int path[] = {5, 9, 8, 8, 20};
    peaked(lp, path, 5);
    lp[2 * 29 + 8] = logf(0.5f), lp[2 * 29 + 7] = logf(0.4f);
    const float *heads[1] = {lp};
    pipeline_result r;
    for (int beam = 1; beam <= 16; beam += 15) {
        pipeline_options opt = {.beam = beam, .lm_weight = 1.0f};
        pipeline *q = ops->load(&m, &opt);
        ck_assert_ptr_nonnull(q);
        ck_assert_int_eq(ops->decode(q, heads, 5, &r), 0);
        ck_assert_str_eq(r.words, beam == 1 ? "eiht" : "eight");
        pipeline_result_free(&r);
        ops->free(q);
    }
    char *words = test_write_text("words.arpa", "\\data\\\nngram 1=3\n\n\\1-grams:\n-1\t</s>\n"
                                                "-99\t<s>\n-0.3\tthree\n\n\\end\\\n");
    pipeline_options bad = {.beam = 4, .lm_path = words};
    ck_assert_ptr_null(ops->create(&bad));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "not a character LM"));
    free(words);
    model_file_free(&m);
}
END_TEST

/* Search settings: "given" fields win, the rest come from the model file;
 * the stored text round-trips; bad lines are named. */
START_TEST(search_settings_fill_and_round_trip)
{
    pipeline_options given = {.beam = 0, .lm_weight = NAN, .word_penalty = 2.5f};
    pipeline_options stored = {.beam = 16, .lm_weight = 3.0f, .word_penalty = -1.0f};
    char *text = pipeline_options_format(&stored);
    pipeline_options back = pipeline_options_defaults;
    ck_assert_int_eq(pipeline_options_parse(text, &back), 0);
    ck_assert_int_eq(back.beam, 16);
    ck_assert_float_eq(back.lm_weight, 3.0f);
    ck_assert_float_eq(back.word_penalty, -1.0f);
    pipeline_options_fill(&given, &back);
    ck_assert_int_eq(given.beam, 16);
    ck_assert_float_eq(given.lm_weight, 3.0f);
    ck_assert_float_eq(given.word_penalty, 2.5f);
    ck_assert_int_eq(pipeline_options_parse("beam=wide\n", &back), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "beam"));
    ck_assert_int_eq(pipeline_options_parse("colour=1\n", &back), -1);
    free(text);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("pipeline_direct");
    TCase *tc = tcase_create("direct");
    tcase_add_test(tc, targets_spell_the_transcript);
    tcase_add_test(tc, a_character_lm_corrects_the_spelling);
    tcase_add_test(tc, search_settings_fill_and_round_trip);
    tcase_add_test(tc, decode_to_words_and_units);
    tcase_add_test(tc, save_and_load_check_the_symbol_table);
    suite_add_tcase(s, tc);
    return s;
}
