/* test_textnorm.c — src/text/textnorm.c: the text normaliser's rules
 * (case, punctuation, hyphens, numbers, ordinals, decimals, percent, digit
 * strings, currency, keypad symbols). */
#include <check.h>

#include "text/textnorm.h"

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

Suite *make_suite(void)
{
    Suite *s = suite_create("textnorm");
    TCase *tc = tcase_create("textnorm");
    tcase_add_test(tc, normaliser_rules);
    suite_add_tcase(s, tc);
    return s;
}
