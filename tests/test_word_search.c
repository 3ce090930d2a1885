/* test_word_search.c — the staged word search on hand-built phone posteriors:
 * the expected words and phones come out, an LM flips an acoustically
 * ambiguous choice the right way, beam 1 equals greedy phone decoding looked
 * up in the lexicon, alternates are honoured, an empty utterance is empty. */
#include <check.h>

#include "decode/ctc_beam.h"
#include "base/error.h"
#include "text/lexicon.h"
#include "decode/ngram.h"
#include "decode/word_search.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { V = 1 + LEXICON_NUM_PHONES };

static void add(lexicon *lex, const char *word, const char *phones)
{
    int p[16], n = 0;
    char buf[128];
    strcpy(buf, phones);
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) p[n++] = lexicon_phone_index(t);
    lexicon_add(lex, word, p, n);
}

static void make_lexicon(lexicon *lex)
{
    memset(lex, 0, sizeof *lex);
    add(lex, "one", "W AH N");
    add(lex, "two", "T UW");
    add(lex, "oh", "OW");
    add(lex, "nine", "N AY N");
    add(lex, "mine", "M AY N");
    add(lex, "either", "IY DH ER");
    add(lex, "either", "AY DH ER");
}

static void decode(const word_search *ws, int beam, const char *spec, const char *want_words,
                   const char *want_phones)
{
    int T;
    float *lp = test_phone_frames(spec, &T);
    word_search_options o = {.beam = beam, .lm_weight = 1.0f, .word_penalty = 0, .prune = 0};
    char *w, *p;
    ck_assert_int_eq(word_search_decode(ws, &o, lp, T, &w, &p, NULL, NULL), 0);
    ck_assert_str_eq(w, want_words);
    if (want_phones) ck_assert_str_eq(p, want_phones);
    free(w);
    free(p);
    free(lp);
}

START_TEST(posteriors_decode_to_the_expected_words)
{
    lexicon lex;
    make_lexicon(&lex);
    word_search *ws = word_search_create(&lex, NULL);
    decode(ws, 8, "- W W AH N - - T UW UW -", "one two", "W AH N T UW");
    /* The same word twice, and the same phone twice: blanks between. */
    decode(ws, 8, "T UW - T UW", "two two", "T UW T UW");
    decode(ws, 8, "OW - OW OW - OW", "oh oh oh", "OW OW OW");
    decode(ws, 8, "OW OW OW", "oh", "OW");
    /* Alternates: either pronunciation gives the word, with its phones. */
    decode(ws, 8, "AY DH ER", "either", "AY DH ER");
    decode(ws, 8, "IY - DH ER", "either", "IY DH ER");
    /* An empty utterance, and one of blanks only. */
    decode(ws, 8, "", "", "");
    decode(ws, 8, "- - -", "", "");
    word_search_free(ws);
    lexicon_free(&lex);
}
END_TEST

/* The words' times come from the best path's phones: a word starts at the
 * first frame of its first phone and ends after the last frame its last
 * phone holds; its confidence is its phones' mean spike (0.98 each, 0.49
 * where two alternates' phones share a frame). */
START_TEST(words_get_the_times_of_their_phones)
{
    lexicon lex;
    make_lexicon(&lex);
    word_search *ws = word_search_create(&lex, NULL);
    int T;
    float *lp = test_phone_frames("- - W W AH N - - - T UW UW - - OW - AY|IY DH ER -", &T);
    word_search_options o = {.beam = 8, .lm_weight = 1.0f, .word_penalty = 0, .prune = 0};
    char *w, *p;
    ctc_word *tw = NULL;
    ck_assert_int_eq(word_search_decode(ws, &o, lp, T, &w, &p, &tw, NULL), 0);
    ck_assert_str_eq(w, "one two oh either");
    double want[4][2] = {{2, 6}, {9, 12}, {14, 15}, {16, 19}};
    float conf[4] = {0.98f, 0.98f, 0.98f, (0.49f + 0.98f + 0.98f) / 3};
    for (int i = 0; i < 4; i++) {
        ck_assert_double_eq(tw[i].start, want[i][0]);
        ck_assert_double_eq(tw[i].end, want[i][1]);
        ck_assert_float_eq_tol(tw[i].conf, conf[i], 1e-4f);
        ck_assert_ptr_null(tw[i].word);
    }
    free(tw);
    free(w);
    free(p);
    free(lp);
    word_search_free(ws);
    lexicon_free(&lex);
}
END_TEST

START_TEST(an_lm_flips_an_ambiguous_word_the_right_way)
{
    lexicon lex;
    make_lexicon(&lex);
    char *nine[] = {"one nine", "nine", "two nine", "nine nine", "one two"};
    char *mine[] = {"one mine", "mine", "two mine", "mine mine", "one two"};
    ngram_lm *a = ngram_estimate(nine, 5, 2, NGRAM_KNESER_NEY);
    ngram_lm *b = ngram_estimate(mine, 5, 2, NGRAM_KNESER_NEY);
    word_search *wa = word_search_create(&lex, a), *wb = word_search_create(&lex, b);
    /* The first phone is N or M at equal odds. */
    decode(wa, 8, "W AH N - N|M AY N", "one nine", NULL);
    decode(wb, 8, "W AH N - N|M AY N", "one mine", NULL);
    word_search_free(wa);
    word_search_free(wb);
    ngram_free(a);
    ngram_free(b);
    lexicon_free(&lex);
}
END_TEST

START_TEST(beam_one_equals_greedy_phones_through_the_lexicon)
{
    lexicon lex;
    make_lexicon(&lex);
    word_search *ws = word_search_create(&lex, NULL);
    const char *spec = "- W AH AH N - T T UW - OW - N AY N -";
    int T;
    float *lp = test_phone_frames(spec, &T);
    int out[64];
    int n = ctc_greedy(lp, T, V, out);
    /* Greedy phones, cut into words by looking them up. */
    char greedy[256] = "";
    for (int i = 0; i < n; i++) {
        strcat(greedy, i ? " " : "");
        strcat(greedy, lexicon_phones[out[i] - 1]);
    }
    ck_assert_str_eq(greedy, "W AH N T UW OW N AY N");
    decode(ws, 1, spec, "one two oh nine", greedy);
    free(lp);
    word_search_free(ws);
    lexicon_free(&lex);
}
END_TEST

/* A CMUdict-sized lexicon (here 200k words of 4 random phones, ~500k tree
 * nodes) builds its search tree in linear time: grouping the word ends by
 * node used to take nodes x pronunciations steps (minutes at this size). */
START_TEST(a_large_lexicon_builds_in_linear_time)
{
    enum { W = 200000 };
    char *text = malloc((size_t)W * 40), *p = text;
    unsigned r = 12345;
    for (int i = 0; i < W; i++) {
        p += sprintf(p, "w%06d", i);
        for (int k = 0; k < 4; k++) {
            r = r * 1103515245u + 12345u;
            p += sprintf(p, " %s", lexicon_phones[(r >> 16) % LEXICON_NUM_PHONES]);
        }
        *p++ = '\n';
    }
    *p = 0;
    lexicon lex;
    ck_assert_int_eq(lexicon_read_text(text, "big", &lex), 0);
    free(text);
    ck_assert_int_eq(lex.n, W);
    word_search *ws = word_search_create(&lex, NULL);
    ck_assert_ptr_nonnull(ws);
    word_search_free(ws);
    lexicon_free(&lex);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("word_search");
    TCase *tc = tcase_create("word_search");
    tcase_add_test(tc, posteriors_decode_to_the_expected_words);
    tcase_add_test(tc, an_lm_flips_an_ambiguous_word_the_right_way);
    tcase_add_test(tc, words_get_the_times_of_their_phones);
    tcase_add_test(tc, beam_one_equals_greedy_phones_through_the_lexicon);
    suite_add_tcase(s, tc);
    TCase *slow = tcase_create("large");
    tcase_set_timeout(slow, 30);
    tcase_add_test(slow, a_large_lexicon_builds_in_linear_time);
    suite_add_tcase(s, slow);
    return s;
}
