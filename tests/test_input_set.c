/* test_input_set.c — src/base/input_set.c: another name for an input (a symlink) is caught; a
 * directory replaced may not hold an input. */
#include <check.h>

#include "base/error.h"
#include "base/input_set.h"
#include "testutil.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

START_TEST(input_set_catches_another_name_for_an_input)
{
    char *in = test_write_text("in.txt", "x\n");
    char *link = test_path("in-link.txt");
    ck_assert_int_eq(symlink(in, link), 0);
    input_set s;
    input_set_init(&s);
    input_set_add(&s, in);
    input_set_add(&s, "/nonexistent/ignored");
    ck_assert_int_eq(input_set_check_file(&s, link), -1);
    ck_assert(contains(asr_last_error(), "in.txt"));
    char *other = test_path("other.txt");
    ck_assert_int_eq(input_set_check_file(&s, other), 0);
    /* A directory output that would be replaced may not hold an input. */
    ck_assert_int_eq(input_set_check_dir(&s, test_tmpdir(), 0), 0);
    ck_assert_int_eq(input_set_check_dir(&s, test_tmpdir(), 1), -1);
    input_set_free(&s);
    free(in);
    free(link);
    free(other);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("input_set");
    TCase *tc = tcase_create("input_set");
    tcase_add_test(tc, input_set_catches_another_name_for_an_input);
    suite_add_tcase(s, tc);
    return s;
}
