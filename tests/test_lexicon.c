/* test_lexicon.c — the text normaliser's rules, CMUdict reading (stress
 * removed, alternates kept, bad phones refused), espeak->ARPAbet mapping. */
#include <check.h>

#include "error.h"
#include "lexicon.h"
#include "testutil.h"
#include "textnorm.h"

#include <stdlib.h>
#include <string.h>

static void norm_is(const char *in, const char *want)
{
    char *got = textnorm_normalize(in);
    ck_assert_msg(!strcmp(got, want), "normalize(\"%s\") = \"%s\", want \"%s\"", in, got, want);
    free(got);
}

START_TEST(normaliser_rules)
{
    norm_is("Hello, World!", "hello world");
    norm_is("  Don't  'quote' me.", "don't quote me");
    norm_is("voice-mail/fax", "voice mail fax");
    norm_is("Press 1 or 0", "press one or zero");
    norm_is("1,234 calls", "one thousand two hundred thirty four calls");
    norm_is("100 115 2000000", "one hundred one hundred fifteen two million");
    norm_is("the 22nd and 3rd and 100th", "the twenty second and third and one hundredth");
    norm_is("2.5%", "two point five percent");
    norm_is("007 5551234567", "zero zero seven five five five one two three four five six seven");
    norm_is("$1 or $20", "one dollar or twenty dollars");
    norm_is("# and *", "pound and star");
    norm_is("...", "");
    norm_is("", "");
}
END_TEST

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
    ck_assert_int_eq(lexicon_write(q, &lex), 0);
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

Suite *make_suite(void)
{
    Suite *s = suite_create("lexicon");
    TCase *tc = tcase_create("lexicon");
    tcase_add_test(tc, normaliser_rules);
    tcase_add_test(tc, cmudict_reading);
    tcase_add_test(tc, espeak_mapping);
    suite_add_tcase(s, tc);
    return s;
}
