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

/* Numbers to dial are read digit by digit, the separators silent (issue
 * 26: "555-1212" was "five hundred fifty five one thousand two hundred
 * twelve"); every other number as before. */
START_TEST(dial_strings)
{
    norm_is("555-1212", "five five five one two one two");
    norm_is("call 1-800-555-0199 now",
            "call one eight zero zero five five five zero one nine nine now");
    norm_is("(555) 123-4567", "five five five one two three four five six seven");
    norm_is("(555)123-4567", "five five five one two three four five six seven");
    norm_is("(555) 1234", "five five five one two three four");
    norm_is("555.123.4567", "five five five one two three four five six seven");
    norm_is("ext. 12-34.", "ext one two three four");
    /* Not numbers to dial: a decimal, a lone group, a parenthesised count,
     * commas, a hyphen before words or after them, mixed separators. */
    norm_is("a 28.8 modem", "a twenty eight point eight modem");
    norm_is("dial 500 or 1234", "dial five hundred or one thousand two hundred thirty four");
    norm_is("(10 seconds of silence)", "ten seconds of silence");
    norm_is("(555)", "five hundred fifty five");
    norm_is("1,234-5", "one thousand two hundred thirty four five");
    norm_is("covid-19 and 3-d", "covid nineteen and three d");
    norm_is("-5 5-", "five five");
    norm_is("12-34.5", "one two three four five");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("textnorm");
    TCase *tc = tcase_create("textnorm");
    tcase_add_test(tc, normaliser_rules);
    tcase_add_test(tc, dial_strings);
    suite_add_tcase(s, tc);
    return s;
}
