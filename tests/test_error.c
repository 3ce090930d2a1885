/* test_error.c — src/base/error.c: the last error message is kept, can be
 * wrapped in a new one that names the outer file, and is cleared. */
#include <check.h>

#include "base/error.h"

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

Suite *make_suite(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("error");
    tcase_add_test(tc, error_message_kept);
    suite_add_tcase(s, tc);
    return s;
}
