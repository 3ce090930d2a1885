/* test_error.c — src/base/error.c: the last error message is kept, can be
 * wrapped in a new one that names the outer file, and is cleared; text from
 * input is quoted in it without control characters or invalid UTF-8. */
#include <check.h>

#include "base/error.h"

#include <string.h>

START_TEST(error_message_kept)
{
    ck_assert_int_eq(asr_error("%s:%d: bad", "f.txt", 7), -1);
    ck_assert_str_eq(asr_last_error(), "f.txt:7: bad");
    /* Wrapping the previous message in a new one keeps both intact. */
    asr_error("%s: %s", "outer.wav", asr_last_error());
    ck_assert_str_eq(asr_last_error(), "outer.wav: f.txt:7: bad");
    asr_clear_error();
    ck_assert_str_eq(asr_last_error(), "");
}
END_TEST

/* Messages echoed input verbatim: a model's pipeline "st\naged" broke the
 * message in two, ESC sequences reached the terminal. */
START_TEST(quote_escapes_input)
{
    ck_assert_str_eq(asr_quote("staged"), "staged");
    ck_assert_str_eq(asr_quote("st\naged"), "st\\x0aaged");
    ck_assert_str_eq(asr_quote("\x1b[2J\x07"), "\\x1b[2J\\x07");
    ck_assert_str_eq(asr_quote("a\\b"), "a\\\\b"); /* unambiguous: "\\x1b" is no ESC */
    ck_assert_str_eq(asr_quote("caf\xc3\xa9"), "caf\xc3\xa9");
    ck_assert_str_eq(asr_quote("caf\xe9"), "caf\\xe9");
    ck_assert_str_eq(asr_quote("csi\xc2\x9b"), "csi\\xc2\\x9b");
    char word[1000];
    memset(word, 'w', sizeof word - 1);
    word[sizeof word - 1] = 0;
    const char *q = asr_quote(word);
    ck_assert_uint_eq(strlen(q), ASR_QUOTE_SIZE - 1);
    ck_assert_str_eq(q + ASR_QUOTE_SIZE - 4, "...");
    /* Cut between escapes, never inside one or inside a UTF-8 sequence. */
    memset(word, 0x1b, sizeof word - 1);
    q = asr_quote(word);
    ck_assert_uint_eq(strlen(q) % 4, 3);
    ck_assert_str_eq(q + strlen(q) - 7, "\\x1b...");
    for (int i = 0; i + 1 < (int)sizeof word; i += 2) memcpy(word + i, "\xc3\xa9", 2);
    q = asr_quote(word);
    ck_assert_uint_eq((strlen(q) - 3) % 2, 0);
    /* Several in one message, each with a buffer of its own. */
    asr_error("'%s' and '%s'", asr_quote("a\tb"), asr_quote("c"));
    ck_assert_str_eq(asr_last_error(), "'a\\x09b' and 'c'");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("error");
    tcase_add_test(tc, error_message_kept);
    tcase_add_test(tc, quote_escapes_input);
    suite_add_tcase(s, tc);
    return s;
}
