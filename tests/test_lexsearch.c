/* test_lexsearch.c — src/decode/lexsearch.c: opening from a lexicon file
 * and an ARPA LM file; an empty, comment-only, missing or absent lexicon
 * and a bad LM refused by name; save into a model file and load back equal
 * (lexicon and LM sections, through a file on disk), decode-time files
 * replacing the stored ones, models without a usable lexicon or LM refused;
 * prepare estimating a trigram Kneser-Ney LM from the training transcripts
 * when none was given (and saying so), keeping a given one; decoding
 * hand-built phone posteriors to the expected words, the LM deciding an
 * acoustically ambiguous word, the word penalty reaching the search. */
#include <check.h>

#include "base/error.h"
#include "base/log.h"
#include "decode/lexsearch.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { V = 1 + LEXICON_NUM_PHONES };

/* Stress digits are dropped on reading; "either" has two pronunciations. */
static const char *lexicon_text = ";;; a comment\n"
                                  "one W AH1 N\n"
                                  "two T UW1\n"
                                  "oh OW1\n"
                                  "nine N AY1 N\n"
                                  "mine M AY1 N\n"
                                  "either IY1 DH ER0\n"
                                  "either(2) AY1 DH ER0\n";

/* A bigram LM by hand: after "one", "nine" (10^-0.1) is far likelier than
 * "mine" (backed off: 10^(-0.3 - 2.5)). */
static const char *nine_arpa = "\\data\\\nngram 1=8\nngram 2=2\n\n"
                               "\\1-grams:\n-0.6\t</s>\n-99\t<s>\t-0.2\n-1.0\tone\t-0.3\n"
                               "-1.0\ttwo\n-1.0\toh\n-0.8\tnine\n-2.5\tmine\n-1.2\teither\n\n"
                               "\\2-grams:\n-0.2\t<s> one\n-0.1\tone nine\n\n\\end\\\n";
/* The same with "nine" and "mine" swapped. */
static const char *mine_arpa = "\\data\\\nngram 1=8\nngram 2=2\n\n"
                               "\\1-grams:\n-0.6\t</s>\n-99\t<s>\t-0.2\n-1.0\tone\t-0.3\n"
                               "-1.0\ttwo\n-1.0\toh\n-2.5\tnine\n-0.8\tmine\n-1.2\teither\n\n"
                               "\\2-grams:\n-0.2\t<s> one\n-0.1\tone mine\n\n\\end\\\n";

static void error_has(const char *want)
{
    ck_assert_msg(strstr(asr_last_error(), want) != NULL, "message '%s' lacks '%s'",
                  asr_last_error(), want);
}

/* Open S from lexicon_text and (when LM is not NULL) that ARPA text. */
static void open_with(lexsearch *s, const char *lm)
{
    char *lex = test_write_text("lexicon.txt", lexicon_text);
    char *arpa = lm ? test_write_text("lm.arpa", lm) : NULL;
    ck_assert_msg(lexsearch_open(s, lex, arpa, "staged") == 0, "%s", asr_last_error());
    free(lex);
    free(arpa);
}

static void decode_is(const lexsearch *s, int beam, float word_penalty, const char *spec,
                      const char *want_words, const char *want_phones)
{
    int T;
    float *lp = test_phone_frames(spec, &T);
    char *w = NULL, *p = NULL;
    ck_assert_int_eq(lexsearch_decode(s, beam, 1.0f, word_penalty, lp, T, &w, &p, NULL, NULL), 0);
    ck_assert_msg(!strcmp(w, want_words), "'%s' decoded to '%s', want '%s'", spec, w, want_words);
    if (want_phones) ck_assert_str_eq(p, want_phones);
    free(w);
    free(p);
    free(lp);
}

static void pron_is(const lexicon *lex, const char *word, int k, const char *phones)
{
    const lexicon_entry *e = lexicon_lookup(lex, word);
    ck_assert_msg(e != NULL, "no '%s'", word);
    ck_assert_int_gt(e->npron, k);
    char got[128] = "";
    for (int j = 0; j < e->pron_len[k]; j++) {
        strcat(got, j ? " " : "");
        strcat(got, lexicon_phones[e->pron[k][j]]);
    }
    ck_assert_str_eq(got, phones);
}

static int wid(const ngram_lm *lm, const char *w)
{
    return ngram_word_id(lm, w);
}

START_TEST(open_reads_the_lexicon_and_the_lm)
{
    lexsearch s;
    open_with(&s, nine_arpa);
    ck_assert_int_eq(s.lex.n, 6);
    pron_is(&s.lex, "one", 0, "W AH N");
    pron_is(&s.lex, "either", 0, "IY DH ER");
    pron_is(&s.lex, "either", 1, "AY DH ER");
    ck_assert_ptr_nonnull(s.lm);
    ck_assert_int_eq(ngram_order(s.lm), 2);
    ck_assert_int_eq(ngram_vocab_size(s.lm), 8);
    int one = wid(s.lm, "one");
    ck_assert_float_eq_tol(ngram_prob(s.lm, &one, 1, wid(s.lm, "nine")), -0.1f, 1e-6);
    ck_assert_float_eq_tol(ngram_prob(s.lm, &one, 1, wid(s.lm, "mine")), -0.3f - 2.5f, 1e-5);
    ck_assert_ptr_nonnull(s.ws);
    lexsearch_free(&s);
    /* Without an LM: every word sequence equally likely, still searchable. */
    open_with(&s, NULL);
    ck_assert_ptr_null(s.lm);
    ck_assert_ptr_nonnull(s.ws);
    lexsearch_free(&s);
    /* A damaged or missing LM file is refused by name. */
    char *lex = test_write_text("lexicon.txt", lexicon_text);
    char *bad =
        test_write_text("bad.arpa", "\\data\\\nngram 1=3\n\n\\1-grams:\n-1\tone\n\\end\\\n");
    ck_assert_int_eq(lexsearch_open(&s, lex, bad, "staged"), -1);
    error_has("bad.arpa");
    char *missing = test_path("missing.arpa");
    ck_assert_int_eq(lexsearch_open(&s, lex, missing, "staged"), -1);
    error_has("missing.arpa");
    free(lex);
    free(bad);
    free(missing);
}
END_TEST

START_TEST(empty_missing_and_absent_lexicons_are_refused)
{
    lexsearch s;
    ck_assert_int_eq(lexsearch_open(&s, NULL, NULL, "staged"), -1);
    error_has("the staged pipeline needs a lexicon");
    char *missing = test_path("no-lexicon.txt");
    ck_assert_int_eq(lexsearch_open(&s, missing, NULL, "staged"), -1);
    error_has("no-lexicon.txt");
    char *empty = test_write_text("empty.txt", "");
    ck_assert_int_eq(lexsearch_open(&s, empty, NULL, "staged"), -1);
    error_has("empty.txt: the lexicon has no words");
    char *comments = test_write_text("comments.txt", ";;; only\n;;; comments\n");
    ck_assert_int_eq(lexsearch_open(&s, comments, NULL, "staged"), -1);
    error_has("comments.txt: the lexicon has no words");
    char *badph = test_write_text("badph.txt", "one W XX N\n");
    ck_assert_int_eq(lexsearch_open(&s, badph, NULL, "staged"), -1);
    error_has("badph.txt:1");
    free(missing);
    free(empty);
    free(comments);
    free(badph);
}
END_TEST

/* Every entry of A equals B's (word, pronunciations in order). */
static void same_lexicon(const lexicon *a, const lexicon *b)
{
    ck_assert_int_eq(a->n, b->n);
    for (int i = 0; i < a->n; i++) {
        ck_assert_str_eq(a->e[i].word, b->e[i].word);
        ck_assert_int_eq(a->e[i].npron, b->e[i].npron);
        for (int k = 0; k < a->e[i].npron; k++) {
            ck_assert_int_eq(a->e[i].pron_len[k], b->e[i].pron_len[k]);
            ck_assert_mem_eq(a->e[i].pron[k], b->e[i].pron[k],
                             sizeof(int) * (size_t)a->e[i].pron_len[k]);
        }
    }
}

/* Every bigram (and unigram) probability of A equals B's, word by word. */
static void same_lm(const ngram_lm *a, const ngram_lm *b)
{
    ck_assert_int_eq(ngram_order(a), ngram_order(b));
    ck_assert_int_eq(ngram_vocab_size(a), ngram_vocab_size(b));
    int n = ngram_vocab_size(a);
    for (int h = 0; h < n; h++)
        for (int w = 0; w < n; w++) {
            int hb = wid(b, ngram_word(a, h)), wb = wid(b, ngram_word(a, w));
            ck_assert_int_ge(hb, 0);
            ck_assert_float_eq_tol(ngram_prob(a, &h, 1, w), ngram_prob(b, &hb, 1, wb), 1e-6);
            ck_assert_float_eq_tol(ngram_prob(a, NULL, 0, w), ngram_prob(b, NULL, 0, wb), 1e-6);
        }
    char *ta = ngram_arpa_text(a), *tb = ngram_arpa_text(b);
    ck_assert_str_eq(ta, tb);
    free(ta);
    free(tb);
}

START_TEST(save_and_load_back_equal)
{
    lexsearch s, t;
    open_with(&s, nine_arpa);
    model_file m;
    model_file_init(&m);
    lexsearch_save(&s, &m);
    const char *lex = model_file_text(&m, "lexicon");
    ck_assert_ptr_nonnull(lex);
    ck_assert_ptr_nonnull(strstr(lex, "either IY DH ER\neither(2) AY DH ER\n"));
    ck_assert_ptr_nonnull(model_file_text(&m, "lm"));
    /* Through a file on disk. */
    char *path = test_path("lexsearch.mdl");
    ck_assert_int_eq(model_file_write(&m, test_io(), path), 0);
    model_file back;
    ck_assert_int_eq(model_file_read(path, &back), 0);
    ck_assert_msg(lexsearch_load(&t, &back, NULL, NULL, "staged") == 0, "%s", asr_last_error());
    same_lexicon(&s.lex, &t.lex);
    ck_assert_ptr_nonnull(t.lm);
    same_lm(s.lm, t.lm);
    /* Saving the loaded one gives the same sections again. */
    model_file again;
    model_file_init(&again);
    lexsearch_save(&t, &again);
    ck_assert_str_eq(model_file_text(&again, "lexicon"), lex);
    ck_assert_str_eq(model_file_text(&again, "lm"), model_file_text(&m, "lm"));
    model_file_free(&again);
    /* And it decodes as the original: the LM travelled. */
    decode_is(&t, 8, 0, "W AH N - N|M AY N", "one nine", "W AH N N AY N");
    lexsearch_free(&t);

    /* Files given at load time replace the stored lexicon and LM. */
    char *other = test_write_text("other.txt", "one W AH N\nmine M AY N\nnine N AY N\n");
    char *mine = test_write_text("mine.arpa", mine_arpa);
    ck_assert_int_eq(lexsearch_load(&t, &back, other, mine, "staged"), 0);
    ck_assert_int_eq(t.lex.n, 3);
    ck_assert_ptr_null(lexicon_lookup(&t.lex, "two"));
    decode_is(&t, 8, 0, "W AH N - N|M AY N", "one mine", NULL);
    lexsearch_free(&t);
    model_file_free(&back);
    model_file_free(&m);
    lexsearch_free(&s);

    /* Without an LM there is no "lm" section, and none comes back. */
    open_with(&s, NULL);
    model_file_init(&m);
    lexsearch_save(&s, &m);
    ck_assert_ptr_null(model_file_get(&m, "lm"));
    ck_assert_int_eq(lexsearch_load(&t, &m, NULL, NULL, "staged"), 0);
    ck_assert_ptr_null(t.lm);
    same_lexicon(&s.lex, &t.lex);
    lexsearch_free(&t);
    lexsearch_free(&s);

    /* Models without a usable lexicon or LM are refused. */
    model_file_free(&m);
    model_file_init(&m);
    ck_assert_int_eq(lexsearch_load(&t, &m, NULL, NULL, "staged"), -1);
    error_has("staged model without its lexicon");
    model_file_put_text(&m, "lexicon", "");
    ck_assert_int_eq(lexsearch_load(&t, &m, NULL, NULL, "staged"), -1);
    error_has("the model's lexicon: the lexicon has no words");
    model_file_put_text(&m, "lexicon", "one W AH N\n");
    model_file_put_text(&m, "lm", "\\data\\\nngram 1=9\n\n\\1-grams:\n-1\tone\n\\end\\\n");
    ck_assert_int_eq(lexsearch_load(&t, &m, NULL, NULL, "staged"), -1);
    error_has("model LM");
    model_file_free(&m);
    free(path);
    free(other);
    free(mine);
}
END_TEST

static char logged[512];
static int nlogged;
static void capture(void *ctx, asr_log_level level, const char *msg)
{
    (void)ctx;
    (void)level;
    snprintf(logged, sizeof logged, "%s", msg);
    nlogged++;
}

START_TEST(prepare_estimates_a_trigram_when_no_lm_is_given)
{
    char *texts[] = {"one nine", "nine nine oh", "two one nine"};
    corpus train = {0};
    corpus_add(&train, "a", "a.wav", texts[0], "s", NULL);
    corpus_add(&train, "b", "b.wav", texts[1], "s", NULL);
    corpus_add(&train, "c", "c.wav", texts[2], "s", NULL);
    asr_log_set(capture, NULL);
    nlogged = 0;
    lexsearch s;
    open_with(&s, NULL);
    ck_assert_int_eq(lexsearch_prepare(&s, &train, "staged"), 0);
    ck_assert_ptr_nonnull(s.lm);
    ck_assert_int_eq(ngram_order(s.lm), 3);
    /* The four training words, <s> and </s>; not the lexicon's others. */
    ck_assert_int_eq(ngram_vocab_size(s.lm), 6);
    ck_assert_int_eq(wid(s.lm, "mine"), -1);
    ck_assert_int_ge(wid(s.lm, "oh"), 0);
    /* Exactly the Kneser-Ney trigram of the transcripts. */
    ngram_lm *want = ngram_estimate(texts, 3, 3, NGRAM_KNESER_NEY);
    same_lm(want, s.lm);
    ngram_free(want);
    ck_assert_int_eq(nlogged, 1);
    ck_assert_str_eq(logged, "staged: no --lm given: a trigram Kneser-Ney LM from the 3 training "
                             "transcripts (4 words)");
    /* The search uses it: "nine" was seen after "one", "mine" never. */
    decode_is(&s, 8, 0, "W AH N - N|M AY N", "one nine", NULL);
    lexsearch_free(&s);
    /* A given LM is kept, silently. */
    open_with(&s, mine_arpa);
    const ngram_lm *given = s.lm;
    nlogged = 0;
    ck_assert_int_eq(lexsearch_prepare(&s, &train, "staged"), 0);
    ck_assert_ptr_eq(s.lm, given);
    ck_assert_int_eq(ngram_order(s.lm), 2);
    ck_assert_int_eq(nlogged, 0);
    decode_is(&s, 8, 0, "W AH N - N|M AY N", "one mine", NULL);
    lexsearch_free(&s);
    asr_log_set(NULL, NULL);
    corpus_free(&train);
}
END_TEST

START_TEST(posteriors_decode_to_the_expected_words)
{
    lexsearch s;
    open_with(&s, NULL);
    /* Beam 8, and beam 0 (taken as 16). */
    for (int beam = 0; beam <= 8; beam += 8) {
        decode_is(&s, beam, 0, "- W W AH N - - T UW UW -", "one two", "W AH N T UW");
        decode_is(&s, beam, 0, "OW - OW OW", "oh oh", "OW OW");
        decode_is(&s, beam, 0, "AY DH ER - IY DH ER", "either either", "AY DH ER IY DH ER");
        decode_is(&s, beam, 0, "", "", "");
        decode_is(&s, beam, 0, "- - -", "", "");
    }
    /* The word penalty reaches the search: at -1000 a word, two words cost
     * far more than reading the 7 phone frames as blanks (about -53). */
    decode_is(&s, 8, -1000, "- W W AH N - - T UW UW -", "", "");
    lexsearch_free(&s);
    /* With an LM, the ambiguous N|M goes the LM's way. */
    open_with(&s, nine_arpa);
    decode_is(&s, 8, 0, "W AH N - N|M AY N", "one nine", "W AH N N AY N");
    lexsearch_free(&s);
    open_with(&s, mine_arpa);
    decode_is(&s, 8, 0, "W AH N - N|M AY N", "one mine", "W AH N M AY N");
    lexsearch_free(&s);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("lexsearch");
    TCase *tc = tcase_create("lexsearch");
    tcase_add_test(tc, open_reads_the_lexicon_and_the_lm);
    tcase_add_test(tc, empty_missing_and_absent_lexicons_are_refused);
    tcase_add_test(tc, save_and_load_back_equal);
    tcase_add_test(tc, prepare_estimates_a_trigram_when_no_lm_is_given);
    tcase_add_test(tc, posteriors_decode_to_the_expected_words);
    suite_add_tcase(s, tc);
    return s;
}
