/* test_pipeline_staged.c — the staged pipeline (pipelines/staged.c) through
 * the pipeline interface only (pipeline_find("staged")): one CTC head over
 * the 39 ARPAbet phones and its symbols; a lexicon required; targets from
 * an utterance's phones line, else from the lexicon (first pronunciation),
 * an unknown word an error naming the utterance (never PIPELINE_NO_LABEL);
 * a save/load round trip through a model file on disk (symbol table,
 * lexicon and LM sections; a foreign symbol table refused; decode-time files
 * replacing the stored ones); decoding phone posteriors to words with the LM
 * from prepare and the search settings of the options. */
#include <check.h>

#include "base/error.h"
#include "pipelines/pipeline.h"
#include "text/lexicon.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { V = 1 + LEXICON_NUM_PHONES };

static const char *lexicon_text = "one W AH1 N\n"
                                  "two T UW1\n"
                                  "nine N AY1 N\n"
                                  "mine M AY1 N\n"
                                  "either IY1 DH ER0\n"
                                  "either(2) AY1 DH ER0\n";

/* After "one", "mine" (10^-0.1) is far likelier than "nine" (backed off). */
static const char *mine_arpa = "\\data\\\nngram 1=7\nngram 2=1\n\n"
                               "\\1-grams:\n-0.6\t</s>\n-99\t<s>\t-0.2\n-1.0\tone\t-0.3\n"
                               "-1.0\ttwo\n-2.5\tnine\n-0.8\tmine\n-1.2\teither\n\n"
                               "\\2-grams:\n-0.1\tone mine\n\n\\end\\\n";

static int ph(const char *name)
{
    return 1 + lexicon_phone_index(name);
}

static void error_has(const char *want)
{
    ck_assert_msg(strstr(asr_last_error(), want) != NULL, "message '%s' lacks '%s'",
                  asr_last_error(), want);
}

/* The staged pipeline over lexicon_text, with LM (ARPA text, may be NULL),
 * beam BEAM and word penalty WP. */
static pipeline *make(const pipeline_ops **ops, const char *lm, int beam, float wp)
{
    *ops = pipeline_find("staged");
    ck_assert_ptr_nonnull(*ops);
    char *lex = test_write_text("lexicon.txt", lexicon_text);
    char *arpa = lm ? test_write_text("lm.arpa", lm) : NULL;
    pipeline_options opt = {
        .lexicon_path = lex, .lm_path = arpa, .lm_weight = 1, .word_penalty = wp, .beam = beam};
    pipeline *p = (*ops)->create(&opt);
    ck_assert_msg(p != NULL, "%s", asr_last_error());
    free(lex);
    free(arpa);
    return p;
}

/* Phone log-posteriors ([T][40]) from a spec like "W AH - N": 0.9 on each
 * frame's symbol ("-" the blank), "N|M" 0.45 on each of two. */

static void decode_is(const pipeline_ops *ops, const pipeline *p, const char *spec,
                      const char *want_words, const char *want_units)
{
    int T;
    float *lp = test_phone_frames(spec, &T);
    const float *logp[1] = {lp};
    pipeline_result r;
    ck_assert_int_eq(ops->decode(p, logp, T, &r), 0);
    ck_assert_msg(!strcmp(r.words, want_words), "'%s' decoded to '%s', want '%s'", spec, r.words,
                  want_words);
    if (want_units) ck_assert_str_eq(r.units, want_units);
    pipeline_result_free(&r);
    free(lp);
}

START_TEST(one_phone_head_and_a_lexicon_required)
{
    const pipeline_ops *ops;
    pipeline *p = make(&ops, NULL, 1, 0);
    ck_assert_str_eq(ops->name, "staged");
    ck_assert(ops->phone_units);
    ck_assert(ops->needs_lexicon);
    ck_assert_ptr_nonnull(ops->prepare);
    const pipeline_head *h;
    ck_assert_int_eq(ops->heads(p, &h), 1);
    ck_assert_str_eq(h[0].name, "phone");
    ck_assert_int_eq(h[0].num_symbols, 40);
    ck_assert_int_eq(h[0].loss, MT_CTC);
    ck_assert(h[0].decode);
    ck_assert_str_eq(ops->symbol(p, 0, 0), "<blk>");
    ck_assert_str_eq(ops->symbol(p, 0, 1), "AA");
    ck_assert_str_eq(ops->symbol(p, 0, ph("UW")), "UW");
    ck_assert_str_eq(ops->symbol(p, 0, 39), "ZH");
    ck_assert_ptr_null(ops->symbol(p, 0, 40));
    ck_assert_ptr_null(ops->symbol(p, 0, -1));
    ck_assert_ptr_null(ops->symbol(p, 1, 1)); /* there is no second head */
    ops->free(p);
    /* No lexicon, or one without words: no pipeline. */
    pipeline_options none = {.beam = 1};
    ck_assert_ptr_null(ops->create(&none));
    error_has("the staged pipeline needs a lexicon");
    char *empty = test_write_text("empty.txt", ";;; nothing\n");
    pipeline_options no_words = {.lexicon_path = empty, .beam = 1};
    ck_assert_ptr_null(ops->create(&no_words));
    error_has("empty.txt: the lexicon has no words");
    free(empty);
}
END_TEST

START_TEST(targets_from_the_phones_line_and_the_lexicon)
{
    const pipeline_ops *ops;
    pipeline *p = make(&ops, NULL, 1, 0);
    int t[64];
    /* From the lexicon, stress removed; the first of two pronunciations. */
    corpus_utt u = {.id = "u1", .text = "one two either"};
    int want[] = {ph("W"), ph("AH"), ph("N"), ph("T"), ph("UW"), ph("IY"), ph("DH"), ph("ER")};
    ck_assert_int_eq(ops->targets(p, 0, &u, t, 64), 8);
    ck_assert_mem_eq(t, want, sizeof want);
    /* A phones line wins over the lexicon, even for words it lacks. */
    corpus_utt lined = {.id = "u2", .text = "one four", .phones = "W AH N F AO R"};
    int want_line[] = {ph("W"), ph("AH"), ph("N"), ph("F"), ph("AO"), ph("R")};
    ck_assert_int_eq(ops->targets(p, 0, &lined, t, 64), 6);
    ck_assert_mem_eq(t, want_line, sizeof want_line);
    /* Without one, an unknown word is an error naming the utterance and the
     * word: staged has only the phone head, so it cannot be masked. */
    corpus_utt oov = {.id = "spk1-007", .text = "one four"};
    int n = ops->targets(p, 0, &oov, t, 64);
    ck_assert_int_ne(n, PIPELINE_NO_LABEL);
    ck_assert_int_eq(n, -1);
    error_has("spk1-007");
    error_has("'four'");
    /* A phone outside the set, and more phones than fit, likewise. */
    corpus_utt badph = {.id = "u4", .text = "one", .phones = "W XX N"};
    ck_assert_int_eq(ops->targets(p, 0, &badph, t, 64), -1);
    error_has("u4");
    ck_assert_int_eq(ops->targets(p, 0, &u, t, 4), -1);
    error_has("u1");
    ck_assert_int_eq(ops->targets(p, 0, &lined, t, 5), -1);
    error_has("u2");
    /* An empty transcript has no phones. */
    corpus_utt silent = {.id = "u5", .text = ""};
    ck_assert_int_eq(ops->targets(p, 0, &silent, t, 64), 0);
    ops->free(p);
}
END_TEST

START_TEST(save_and_load_round_trip_through_a_model_file)
{
    const pipeline_ops *ops;
    pipeline *p = make(&ops, mine_arpa, 8, 0);
    model_file m;
    model_file_init(&m);
    ck_assert_int_eq(ops->save(p, &m), 0);
    /* The symbol table is blank then the 39 phones in lexicon.h's order. */
    char table[512] = "<blk>\n";
    for (int i = 0; i < LEXICON_NUM_PHONES; i++) {
        strcat(table, lexicon_phones[i]);
        strcat(table, "\n");
    }
    ck_assert_str_eq(model_file_text(&m, "symbols"), table);
    ck_assert_ptr_nonnull(strstr(model_file_text(&m, "lexicon"), "either(2) AY DH ER\n"));
    ck_assert_ptr_nonnull(strstr(model_file_text(&m, "lm"), "one mine"));
    char *path = test_path("staged.mdl");
    ck_assert_int_eq(model_file_write(&m, test_io(), path), 0);
    model_file back;
    ck_assert_int_eq(model_file_read(path, &back), 0);
    pipeline_options opt = {.lm_weight = 1, .beam = 8};
    pipeline *q = ops->load(&back, &opt);
    ck_assert_msg(q != NULL, "%s", asr_last_error());
    /* The lexicon travelled: the same targets; so did the LM: the same
     * words for an ambiguous N|M. */
    int a[64], b[64];
    corpus_utt u = {.id = "u1", .text = "one two either"};
    ck_assert_int_eq(ops->targets(p, 0, &u, a, 64), 8);
    ck_assert_int_eq(ops->targets(q, 0, &u, b, 64), 8);
    ck_assert_mem_eq(a, b, sizeof(int) * 8);
    decode_is(ops, p, "W AH N - N|M AY N", "one mine", "W AH N M AY N");
    decode_is(ops, q, "W AH N - N|M AY N", "one mine", "W AH N M AY N");
    ops->free(q);
    /* A lexicon given at decode time replaces the stored one. */
    char *other = test_write_text("other.txt", "one W AH N\n");
    pipeline_options over = {.lexicon_path = other, .lm_weight = 1, .beam = 8};
    q = ops->load(&back, &over);
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(ops->targets(q, 0, &u, b, 64), -1);
    error_has("'two'");
    ops->free(q);
    /* Another pipeline's symbol table, or none, is refused. */
    model_file_put_text(&back, "symbols", "<blk>\na\nb\n");
    ck_assert_ptr_null(ops->load(&back, &opt));
    error_has("symbol table");
    model_file_free(&back);
    model_file_init(&back);
    model_file_put_text(&back, "lexicon", "one W AH N\n");
    ck_assert_ptr_null(ops->load(&back, &opt));
    error_has("symbol table");
    /* A model with the symbols but without its lexicon is refused. */
    model_file_free(&back);
    model_file_init(&back);
    model_file_put_text(&back, "symbols", table);
    ck_assert_ptr_null(ops->load(&back, &opt));
    error_has("staged model without its lexicon");
    model_file_free(&back);
    model_file_free(&m);
    ops->free(p);
    free(path);
    free(other);
}
END_TEST

static corpus training(const char *second)
{
    corpus c = {0};
    corpus_add(&c, "a", "a.wav", "one two", "s", NULL);
    corpus_add(&c, "b", "b.wav", second, "s", NULL);
    corpus_add(&c, "c", "c.wav", "two two", "s", NULL);
    return c;
}

START_TEST(posteriors_decode_to_words)
{
    const pipeline_ops *ops;
    for (int beam = 1; beam <= 8; beam += 7) {
        pipeline *p = make(&ops, NULL, beam, 0);
        decode_is(ops, p, "T UW - W AH AH N -", "two one", "T UW W AH N");
        decode_is(ops, p, "- AY DH - ER", "either", "AY DH ER");
        decode_is(ops, p, "- -", "", "");
        ops->free(p);
    }
    /* prepare's LM (from the transcripts) decides an ambiguous N|M. */
    const char *seconds[] = {"one nine", "one mine"};
    for (int k = 0; k < 2; k++) {
        pipeline *p = make(&ops, NULL, 8, 0);
        corpus train = training(seconds[k]);
        ck_assert_int_eq(ops->prepare(p, &train), 0);
        decode_is(ops, p, "W AH N - N|M AY N", seconds[k], NULL);
        /* Saved and loaded, the estimated LM comes along. */
        model_file m;
        model_file_init(&m);
        ck_assert_int_eq(ops->save(p, &m), 0);
        ck_assert_ptr_nonnull(model_file_text(&m, "lm"));
        pipeline_options opt = {.lm_weight = 1, .beam = 8};
        pipeline *q = ops->load(&m, &opt);
        ck_assert_ptr_nonnull(q);
        decode_is(ops, q, "W AH N - N|M AY N", seconds[k], NULL);
        ops->free(q);
        model_file_free(&m);
        corpus_free(&train);
        ops->free(p);
    }
    /* The word penalty of the options reaches the search: at -1000 a word,
     * nothing beats reading the frames as blanks. */
    pipeline *p = make(&ops, NULL, 8, -1000);
    decode_is(ops, p, "T UW - W AH AH N -", "", "");
    ops->free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("pipeline_staged");
    TCase *tc = tcase_create("staged");
    tcase_add_test(tc, one_phone_head_and_a_lexicon_required);
    tcase_add_test(tc, targets_from_the_phones_line_and_the_lexicon);
    tcase_add_test(tc, save_and_load_round_trip_through_a_model_file);
    tcase_add_test(tc, posteriors_decode_to_words);
    suite_add_tcase(s, tc);
    return s;
}
