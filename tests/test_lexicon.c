/* test_lexicon.c — src/text/lexicon.c: CMUdict reading (stress removed,
 * alternates kept, bad phones refused; odd, oversized, damaged and hostile
 * lexicons refused with FILE:LINE, in O(N log N)), espeak->ARPAbet
 * mapping. */
#include <check.h>

#include "base/error.h"
#include "text/lexicon.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(cmudict_reading)
{
    char *p = test_write_text("dict", ";;; a comment\n"
                                      "read R EH1 D\n"
                                      "read(2) R IY1 D\n"
                                      "zero Z IH1 R OW0\n"
                                      "Oh OW1\n");
    lexicon lex;
    ck_assert_int_eq(lexicon_read(p, NULL, 0, &lex), 0);
    ck_assert_int_eq(lex.n, 3);
    const lexicon_entry *e = lexicon_lookup(&lex, "read");
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->npron, 2);
    ck_assert_str_eq(lexicon_phones[e->pron[1][1]], "IY");
    ck_assert_ptr_nonnull(lexicon_lookup(&lex, "oh")); /* lowercased */
    ck_assert_ptr_null(lexicon_lookup(&lex, "one"));
    /* Only the wanted words are kept. */
    lexicon small;
    const char *want[] = {"oh", "zero"};
    ck_assert_int_eq(lexicon_read(p, want, 2, &small), 0);
    ck_assert_int_eq(small.n, 2);
    /* Round trip through the writer. */
    char *q = test_path("dict.out");
    ck_assert_int_eq(lexicon_write(test_io(), q, &lex), 0);
    lexicon back;
    ck_assert_int_eq(lexicon_read(q, NULL, 0, &back), 0);
    ck_assert_int_eq(back.n, 3);
    ck_assert_int_eq(lexicon_lookup(&back, "read")->npron, 2);
    lexicon_free(&lex);
    lexicon_free(&small);
    lexicon_free(&back);
    char *bad = test_write_text("bad", "one W AH N\ntwo T UX\n");
    ck_assert_int_eq(lexicon_read(bad, NULL, 0, &lex), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "bad:2"));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "UX"));
    free(p);
    free(q);
    free(bad);
}
END_TEST

static void espeak_is(const char *esp, const char *want)
{
    int ph[64];
    int n = lexicon_espeak_to_arpabet(esp, ph, 64);
    ck_assert_int_ge(n, 0);
    char got[256] = "";
    for (int i = 0; i < n; i++) {
        if (i) strcat(got, " ");
        strcat(got, lexicon_phones[ph[i]]);
    }
    ck_assert_msg(!strcmp(got, want), "espeak '%s' -> '%s', want '%s'", esp, got, want);
}

START_TEST(espeak_mapping)
{
    espeak_is("h@l'oU", "HH AH L OW");
    espeak_is("v'OIsmeIl", "V OY S M EY L");
    espeak_is("z'i@roU", "Z IH R OW"); /* i@ + r: one R */
    espeak_is("'aast3r,Isk", "AE S T ER IH S K");
    espeak_is("tS'3:tS", "CH ER CH");
    espeak_is("T'IN", "TH IH NG");
    espeak_is("Vna#v'eIl@b@L", "AH N AE V EY L AH B AH L");
    int ph[4];
    ck_assert_int_eq(lexicon_espeak_to_arpabet("ab~c", ph, 4), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "'~'"));
}
END_TEST

/* TEXT read as the lexicon "lex" fails with a message holding WANT. */
static void lexicon_refused(const char *text, const char *want)
{
    lexicon lex;
    ck_assert_msg(lexicon_read_text(text, "lex", &lex) == -1, "accepted: %s", text);
    ck_assert_msg(strstr(asr_last_error(), want) != NULL, "message '%s' lacks '%s'",
                  asr_last_error(), want);
}

/* Only "(digits)" after a word marks an alternate; other parentheses are
 * part of the word ("ab(x)" was merged into "ab", "a(1)(2)" printed as
 * "a(1)", an alternate of "a"). */
START_TEST(odd_words_are_words)
{
    lexicon lex;
    ck_assert_int_eq(lexicon_read_text("word( W ER D\nword(2 W ER D\n(2) T UW\n((2) T UW\n"
                                       "x(12) EH K S\ny() W AY\nab(x) AE B\nab EY B IY\n",
                                       "odd", &lex),
                     0);
    const char *words[] = {"word(", "word(2", "(2)", "(", "x", "y()", "ab(x)", "ab"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        ck_assert_msg(lexicon_lookup(&lex, words[i]) != NULL, "no '%s'", words[i]);
    ck_assert_int_eq(lex.n, 8);
    ck_assert_int_eq(lexicon_lookup(&lex, "ab")->npron, 1);
    lexicon_free(&lex);
    /* A word ending in a mark of its own would print as an alternate. */
    lexicon_refused("a EY\na(1)(2) AA\n", "lex:2: word 'a(1)' ends in an alternate");
    /* A comment behind blanks is a comment, not the word ";;;" (which would
     * print as a comment and read back as nothing: found by fuzz_lexicon). */
    ck_assert_int_eq(lexicon_read_text("  ;;; B AW T\none W AH N\n\t;;;x K\n", "c", &lex), 0);
    ck_assert_int_eq(lex.n, 1);
    ck_assert_str_eq(lex.e[0].word, "one");
    lexicon_free(&lex);
}
END_TEST

/* CMUdict's stress marks are 0, 1, 2; AH5 was read as AH. */
START_TEST(stress_digits_out_of_range_are_refused)
{
    lexicon_refused("one W AH1 N\ntwo T UW5\n", "lex:2: 'two': 'UW5' is not one of the 39");
    lexicon_refused("one W AH12 N\n", "lex:1: 'one': 'AH12'");
    lexicon_refused("one W 7 N\n", "lex:1: 'one': '7'");
}
END_TEST

/* Bounds: phones per pronunciation, pronunciations per word; an empty
 * pronunciation (only a comment) is none. */
START_TEST(oversized_pronunciations_are_refused)
{
    char line[1024] = "long";
    for (int i = 0; i < 64; i++) strcat(line, " AH");
    lexicon lex;
    ck_assert_int_eq(lexicon_read_text(line, "lex", &lex), 0);
    ck_assert_int_eq(lex.e[0].pron_len[0], 64);
    lexicon_free(&lex);
    strcat(line, " AH\n");
    lexicon_refused(line, "lex:1: 'long': pronunciation longer than 64 phones");
    char *many = malloc(65 * 32 + 1);
    many[0] = '\0';
    for (int i = 0; i < 65; i++) {
        /* 65 different pronunciations of w: P or B at each of 7 positions,
         * the bits of i. */
        char pron[64] = "";
        for (int b = 0; b < 7; b++) strcat(pron, (i >> b) & 1 ? " B" : " P");
        sprintf(many + strlen(many), "w(%d)%s\n", i + 1, pron);
    }
    lexicon_refused(many, "lex:65: 'w': more than 64 pronunciations");
    free(many);
    lexicon_refused("zero Z IH R OW\nempty # only a comment\n",
                    "lex:2: 'empty' has no pronunciation");
}
END_TEST

/* The line reader's faults end the read with its message (a NUL byte cut
 * the line and the rest was silently lost). */
START_TEST(unreadable_lines_are_named)
{
    char *p = test_path("nul.dict");
    FILE *f = fopen(p, "wb");
    static const char text[] = "one W AH N\ntwo T UW\0 N\nthree TH R IY\n";
    ck_assert_int_eq(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
    fclose(f);
    lexicon lex;
    ck_assert_int_eq(lexicon_read(p, NULL, 0, &lex), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "nul.dict:2: NUL byte"));
    free(p);
}
END_TEST

/* Entries were inserted one by one into the sorted array: a reverse-sorted
 * lexicon of 300 000 words took over a minute. */
START_TEST(a_reverse_sorted_lexicon_reads_in_n_log_n)
{
    enum { N = 300000 };
    char *p = test_path("rev.dict");
    FILE *f = fopen(p, "w");
    for (int i = N - 1; i >= 0; i--) fprintf(f, "w%06d W AH N\n", i);
    fclose(f);
    lexicon lex;
    ck_assert_int_eq(lexicon_read(p, NULL, 0, &lex), 0);
    ck_assert_int_eq(lex.n, N);
    ck_assert_str_eq(lex.e[0].word, "w000000");
    ck_assert_ptr_nonnull(lexicon_lookup(&lex, "w123456"));
    lexicon_free(&lex);
    free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("lexicon");
    TCase *tc = tcase_create("lexicon");
    tcase_add_test(tc, cmudict_reading);
    tcase_add_test(tc, espeak_mapping);
    tcase_add_test(tc, odd_words_are_words);
    tcase_add_test(tc, stress_digits_out_of_range_are_refused);
    tcase_add_test(tc, oversized_pronunciations_are_refused);
    tcase_add_test(tc, unreadable_lines_are_named);
    suite_add_tcase(s, tc);
    /* What hung before: a time limit turns a hang into a failure. */
    TCase *slow = tcase_create("hangs");
    tcase_set_timeout(slow, 30);
    tcase_add_test(slow, a_reverse_sorted_lexicon_reads_in_n_log_n);
    suite_add_tcase(s, slow);
    return s;
}
