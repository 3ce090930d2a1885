/* test_ngram.c — every history's distribution sums to one (Kneser-Ney and
 * Witten-Bell, orders 1-4), ARPA round trips, malformed files are named. */
#include <check.h>

#include "error.h"
#include "ngram.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *corpus[] = {
    "one two three", "two two three four",     "oh one oh", "three four", "one two",
    "four",          "two three four one two", "oh oh oh",  "nine",       "one nine two",
    "three two one", "four four four four",
};
enum { NSENT = sizeof corpus / sizeof corpus[0] };

/* Sum over the vocabulary (every word and </s>, never <s>) of P(w | h). */
static double total(const ngram_lm *lm, const int *h, int nh)
{
    double s = 0;
    for (int w = 0; w < ngram_vocab_size(lm); w++)
        if (w != ngram_bos(lm)) s += pow(10.0, ngram_prob(lm, h, nh, w));
    return s;
}

static void check_sums(const ngram_lm *lm)
{
    int V = ngram_vocab_size(lm), order = ngram_order(lm);
    ck_assert_double_eq_tol(total(lm, NULL, 0), 1.0, 1e-4);
    /* Every history up to order-1 words over the vocabulary (seen or not). */
    int h[3];
    for (int a = 0; a < V; a++) {
        h[0] = a;
        if (order >= 2)
            ck_assert_msg(fabs(total(lm, h, 1) - 1) < 1e-4, "history %s", ngram_word(lm, a));
        if (order >= 3)
            for (int b = 0; b < V; b++) {
                h[1] = b;
                ck_assert_msg(fabs(total(lm, h, 2) - 1) < 1e-4, "history %s %s", ngram_word(lm, a),
                              ngram_word(lm, b));
            }
    }
}

START_TEST(every_history_sums_to_one)
{
    for (int order = 1; order <= 4; order++)
        for (int m = 0; m < 2; m++) {
            ngram_lm *lm =
                ngram_estimate(corpus, NSENT, order, m ? NGRAM_WITTEN_BELL : NGRAM_KNESER_NEY);
            ck_assert_ptr_nonnull(lm);
            ck_assert_int_eq(ngram_vocab_size(lm), 8); /* 6 words + <s> + </s> */
            check_sums(lm);
            ngram_free(lm);
        }
}
END_TEST

START_TEST(kneser_ney_prefers_the_seen_continuation_and_states_track_it)
{
    ngram_lm *lm = ngram_estimate(corpus, NSENT, 3, NGRAM_KNESER_NEY);
    int one = ngram_word_id(lm, "one"), two = ngram_word_id(lm, "two"),
        nine = ngram_word_id(lm, "nine");
    int s = ngram_start(lm), s1, s2, s3;
    float a = ngram_score(lm, s, one, &s1);
    float b = ngram_score(lm, s1, two, &s2);  /* "one two": seen 3 times */
    float c = ngram_score(lm, s1, nine, &s3); /* "one nine": once */
    ck_assert(b > c);
    ck_assert(a > -2);
    /* Scoring through states equals scoring with the explicit history. */
    int h[] = {ngram_bos(lm), one};
    ck_assert_float_eq_tol(b, ngram_prob(lm, h, 2, two), 1e-6);
    ck_assert_int_eq(ngram_word_id(lm, "seven"), -1);
    ngram_free(lm);
}
END_TEST

START_TEST(arpa_round_trips_and_damage_is_named)
{
    ngram_lm *lm = ngram_estimate(corpus, NSENT, 3, NGRAM_KNESER_NEY);
    char *p = test_path("lm.arpa");
    FILE *f = fopen(p, "w");
    ck_assert_int_eq(ngram_write_arpa(lm, f), 0);
    fclose(f);
    ngram_lm *back = ngram_read_arpa(p);
    ck_assert_msg(back != NULL, "%s", asr_last_error());
    int V = ngram_vocab_size(lm);
    ck_assert_int_eq(ngram_vocab_size(back), V);
    for (int a = 0; a < V; a++)
        for (int b = 0; b < V; b++)
            for (int w = 0; w < V; w++) {
                int h[2] = {a, b}, hb[2] = {ngram_word_id(back, ngram_word(lm, a)),
                                            ngram_word_id(back, ngram_word(lm, b))};
                int wb = ngram_word_id(back, ngram_word(lm, w));
                ck_assert_float_eq_tol(ngram_prob(lm, h, 2, w), ngram_prob(back, hb, 2, wb), 1e-5);
            }
    check_sums(back);
    ngram_free(back);
    /* A count that does not match, and a bad number, each named. */
    char *q = test_write_text(
        "bad.arpa", "\\data\\\nngram 1=3\n\n\\1-grams:\n-1\t<s>\t-0.5\n-0.3\tone\n\\end\\\n");
    ck_assert_ptr_null(ngram_read_arpa(q));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "announces 3 1-grams"));
    q = test_write_text("bad2.arpa",
                        "\\data\\\nngram 1=2\n\n\\1-grams:\n-1\t<s>\t-0.5\nxyz\tone\n\\end\\\n");
    ck_assert_ptr_null(ngram_read_arpa(q));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "bad2.arpa:6"));
    ngram_free(lm);
    free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("ngram");
    TCase *tc = tcase_create("ngram");
    tcase_add_test(tc, every_history_sums_to_one);
    tcase_add_test(tc, kneser_ney_prefers_the_seen_continuation_and_states_track_it);
    tcase_add_test(tc, arpa_round_trips_and_damage_is_named);
    suite_add_tcase(s, tc);
    return s;
}
