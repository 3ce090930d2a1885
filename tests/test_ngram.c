/* test_ngram.c — every history's distribution sums to one (Kneser-Ney and
 * Witten-Bell, orders 1-4), ARPA round trips, malformed or hostile ARPA files
 * are refused with a message naming FILE:LINE. */
#include <check.h>

#include "base/error.h"
#include "decode/ngram.h"
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

/* Reading TEXT as an ARPA file named "t.arpa" fails with a message holding
 * WANT (e.g. "t.arpa:7:" and what is wrong). */
static void refused(const char *text, const char *want)
{
    asr_clear_error();
    ngram_lm *lm = ngram_read_arpa_text(text, "t.arpa");
    ck_assert_msg(lm == NULL, "accepted: %s", text);
    ck_assert_msg(strstr(asr_last_error(), want) != NULL, "message '%s' lacks '%s'",
                  asr_last_error(), want);
}

/* A bigram model over "a": <s> a </s>. */
#define UNIGRAMS "\\1-grams:\n-99\t<s>\t-0.3\n-0.5\ta\t-0.2\n-0.4\t</s>\n"

/* The reproducer of a heap overflow: a second \data\ block after the
 * 1-grams raised the order and counts after the arrays were sized from the
 * first, and the 2-grams went to a table that was never allocated. */
START_TEST(arpa_second_data_block_is_refused)
{
    refused("\\data\\\nngram 1=2\n\n\\1-grams:\n-99\t<s>\n-0.5\ta\n"
            "\\data\\\nngram 1=5\nngram 2=3\n\n\\2-grams:\n-0.1\t<s> a\n-0.2\ta a\n-0.3\ta <s>\n"
            "-0.4\t<s> <s>\n\\end\\\n",
            "t.arpa:7: a second \\data\\ block");
    /* Also when the second block comes first thing after the first. */
    refused("\\data\\\nngram 1=3\n\\data\\\nngram 1=3\n" UNIGRAMS "\\end\\\n",
            "t.arpa:3: a second \\data\\");
}
END_TEST

/* Counts are not trusted: 2e9 unigrams asked for 16 GB before a line was
 * read, 99999999999 overflowed sscanf's int. */
START_TEST(arpa_announced_counts_are_bounded)
{
    refused("\\data\\\nngram 1=2000000000\n" UNIGRAMS "\\end\\\n",
            "t.arpa:2: ngram 1=2000000000: more than the limit of 134217728");
    refused("\\data\\\nngram 1=99999999999\n" UNIGRAMS "\\end\\\n", "t.arpa:2: ngram 1=99999");
    refused("\\data\\\nngram 1=-3\n" UNIGRAMS "\\end\\\n", "t.arpa:2:");
    refused("\\data\\\nngram 1=3x\n" UNIGRAMS "\\end\\\n", "t.arpa:2:");
    refused("\\data\\\nngram 1=3\nngram 1=3\n" UNIGRAMS "\\end\\\n",
            "t.arpa:3: ngram 1= announced twice");
    refused("\\data\\\nngram 1=3\nngram 7=1\n" UNIGRAMS "\\end\\\n", "t.arpa:3: n-gram order 7");
    refused("\\data\\\nngram 1=3\nngram 3=1\n" UNIGRAMS "\\end\\\n",
            "t.arpa:4: the \\data\\ block announces 3-grams but no 'ngram 2='");
    refused("\\data\\\n" UNIGRAMS "\\end\\\n", "t.arpa:2: the \\data\\ block announces no");
}
END_TEST

/* A log-probability is the log of a probability: finite and <= 0. */
START_TEST(arpa_weights_must_be_finite_probabilities)
{
    const char *bad[] = {"nan", "inf", "-inf", "1e400", "-1e400", "+5", "0.1", "1e-3x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "\\data\\\nngram 1=3\n\\1-grams:\n-99\t<s>\n%s\ta\n-1\t</s>\n\\end\\\n", bad[i]);
        refused(text, "t.arpa:5: log10 probability");
        snprintf(text, sizeof text,
                 "\\data\\\nngram 1=3\n\\1-grams:\n-99\t<s>\t%s\n-1\ta\n-1\t</s>\n\\end\\\n",
                 bad[i]);
        if (i < 5) refused(text, "t.arpa:4: backoff weight");
    }
    /* A positive backoff weight is legitimate (log10 of a weight above 1). */
    ngram_lm *lm = ngram_read_arpa_text("\\data\\\nngram 1=3\n\\1-grams:\n-99\t<s>\t0.5\n-0.3\ta\n"
                                        "-0.3\t</s>\n\\end\\\n",
                                        "ok.arpa");
    ck_assert_msg(lm != NULL, "%s", asr_last_error());
    ngram_free(lm);
}
END_TEST

START_TEST(arpa_structure_faults_are_named)
{
    /* Sections out of order, twice, missing, not announced, or malformed. */
    refused("\\data\\\nngram 1=3\nngram 2=1\n\\2-grams:\n-0.1\t<s> a\n" UNIGRAMS "\\end\\\n",
            "t.arpa:4: section \\2-grams: where \\1-grams: was expected");
    refused("\\data\\\nngram 1=3\n" UNIGRAMS "\\1-grams:\n\\end\\\n",
            "t.arpa:7: section \\1-grams: where \\2-grams:");
    refused("\\data\\\nngram 1=3\n" UNIGRAMS "\\2-grams:\n-0.1\t<s> a\n\\end\\\n",
            "t.arpa:7: section \\2-grams: not announced");
    refused("\\data\\\nngram 1=3\nngram 2=1\n" UNIGRAMS "\\end\\\n",
            "t.arpa:8: \\end\\ after \\1-grams:, but \\data\\ announces 2-grams");
    refused("\\data\\\nngram 1=3\n\\1-grams:junk\n-99\t<s>\n\\end\\\n",
            "t.arpa:3: unknown section header");
    refused("\\data\\\nngram 1=3\n\\99999999999-grams:\n\\end\\\n", "t.arpa:3: unknown section");
    /* An empty section, and one short of its count. */
    refused("\\data\\\nngram 1=3\nngram 2=2\n" UNIGRAMS "\\2-grams:\n\\end\\\n",
            "t.arpa:9: \\data\\ announces 2 2-grams, the file has 0");
    refused("\\data\\\nngram 1=4\n" UNIGRAMS "\\end\\\n", "announces 4 1-grams, the file has 3");
    refused("\\data\\\nngram 1=2\n" UNIGRAMS "\\end\\\n", "t.arpa:6: more 1-grams than the 2");
    /* No \data\, no \end\, nothing at all. */
    refused("", "no \\data\\ block");
    refused("just some text\n", "no \\data\\ block");
    refused("\\data\\\nngram 1=3\n" UNIGRAMS, "no \\end\\ line");
    refused("\\data\\\nngram 1=3\n\\end\\\n", "t.arpa:3: \\end\\ before any n-gram section");
}
END_TEST

START_TEST(arpa_words_and_fields_are_checked)
{
    /* A word of a bigram that is not a unigram; </s> counts as one only
     * when the 1-grams list it. */
    refused("\\data\\\nngram 1=3\nngram 2=1\n" UNIGRAMS "\\2-grams:\n-0.1\t<s> b\n\\end\\\n",
            "t.arpa:9: word 'b' is not among the unigrams");
    refused("\\data\\\nngram 1=2\nngram 2=1\n\\1-grams:\n-99\t<s>\n-1\ta\n\\2-grams:\n"
            "-0.1\ta </s>\n\\end\\\n",
            "t.arpa:8: word '</s>' is not among the unigrams");
    /* No <s>: no start state. */
    refused("\\data\\\nngram 1=2\n\\1-grams:\n-1\ta\n-1\t</s>\n\\end\\\n",
            "t.arpa:6: no <s> unigram");
    /* Duplicates. */
    refused("\\data\\\nngram 1=3\n\\1-grams:\n-99\t<s>\n-1\ta\n-1\ta\n\\end\\\n",
            "t.arpa:6: duplicate 1-gram");
    /* Too few and too many fields; a 6-gram line with one field too many
     * was cut to fit and accepted. */
    refused("\\data\\\nngram 1=3\n\\1-grams:\n-99\n\\end\\\n",
            "t.arpa:4: expected 'LOG10PROB 1 word");
    refused("\\data\\\nngram 1=3\n\\1-grams:\n-99\t<s>\t-1\t-1\n\\end\\\n", "got 4 fields");
    char text[512] = "\\data\\\nngram 1=3\n";
    for (int k = 2; k <= 6; k++) snprintf(text + strlen(text), 64, "ngram %d=1\n", k);
    strcat(text, UNIGRAMS);
    const char *grams[] = {"<s> a", "<s> a a", "<s> a a a", "<s> a a a a"};
    for (int k = 2; k <= 5; k++)
        snprintf(text + strlen(text), 64, "\\%d-grams:\n-0.1\t%s\t-0.1\n", k, grams[k - 2]);
    char good[1024], bad[1024];
    snprintf(good, sizeof good, "%s\\6-grams:\n-0.1\t<s> a a a a a\n\\end\\\n", text);
    snprintf(bad, sizeof bad, "%s\\6-grams:\n-0.1\t<s> a a a a a\t-0.5\textra\n\\end\\\n", text);
    ngram_lm *lm = ngram_read_arpa_text(good, "six.arpa");
    ck_assert_msg(lm != NULL, "%s", asr_last_error());
    ck_assert_int_eq(ngram_order(lm), 6);
    ngram_free(lm);
    refused(bad, "got 9 fields");
}
END_TEST

/* What the reader accepts: comments before \data\, spaces around the
 * lines, an empty higher-order section announced as 0. */
START_TEST(arpa_tolerated_variations_still_read)
{
    ngram_lm *lm = ngram_read_arpa_text("made by hand\n\\1-grams: in a comment\n  \\data\\  \n"
                                        "ngram 2=0\nngram   1=3\n\n" UNIGRAMS "\\2-grams:\n"
                                        "\\end\\\nafter the end\n",
                                        "ok.arpa");
    ck_assert_msg(lm != NULL, "%s", asr_last_error());
    ck_assert_int_eq(ngram_order(lm), 2);
    int a = ngram_word_id(lm, "a"), next;
    ck_assert_float_eq_tol(ngram_score(lm, ngram_start(lm), a, &next), -0.3f - 0.5f, 1e-6);
    ngram_free(lm);
}
END_TEST

/* The line reader's faults end the read with its message (a NUL byte cut
 * the line short and the rest was silently dropped). */
START_TEST(arpa_unreadable_lines_are_named)
{
    char *p = test_path("nul.arpa");
    FILE *f = fopen(p, "wb");
    static const char text[] =
        "\\data\\\nngram 1=3\n\\1-grams:\n-99\t<s>\n-1\ta\n-1\t</s>\0junk\n\\end\\\n";
    ck_assert_int_eq(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
    fclose(f);
    ck_assert_ptr_null(ngram_read_arpa(p));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "nul.arpa:6: NUL byte"));
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
    tcase_add_test(tc, arpa_second_data_block_is_refused);
    tcase_add_test(tc, arpa_announced_counts_are_bounded);
    tcase_add_test(tc, arpa_weights_must_be_finite_probabilities);
    tcase_add_test(tc, arpa_structure_faults_are_named);
    tcase_add_test(tc, arpa_words_and_fields_are_checked);
    tcase_add_test(tc, arpa_tolerated_variations_still_read);
    tcase_add_test(tc, arpa_unreadable_lines_are_named);
    suite_add_tcase(s, tc);
    return s;
}
