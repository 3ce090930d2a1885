/* test_pipeline_direct.c — the direct pipeline's spelling, symbol table and
 * transcript search, through the pipeline interface only. */
#include <check.h>

#include "error.h"
#include "pipeline.h"

#include <math.h>
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

Suite *make_suite(void)
{
    Suite *s = suite_create("pipeline_direct");
    TCase *tc = tcase_create("direct");
    tcase_add_test(tc, targets_spell_the_transcript);
    tcase_add_test(tc, decode_to_words_and_units);
    tcase_add_test(tc, save_and_load_check_the_symbol_table);
    suite_add_tcase(s, tc);
    return s;
}
