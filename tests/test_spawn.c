/* test_spawn.c — src/base/spawn.c: arguments reach the program verbatim (no shell), a missing
 * program and too much output are errors, the exit status comes back. */
#include <check.h>

#include "base/error.h"
#include "base/fileio.h"
#include "base/spawn.h"
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

START_TEST(spawn_passes_arguments_verbatim)
{
    const char *argv[] = {"printf", "%s|%s", "a'b", "$(touch pwned);`id`", NULL};
    char *out;
    size_t len;
    ck_assert_int_eq(spawn_read(argv, 1000, &out, &len), 0);
    ck_assert_str_eq(out, "a'b|$(touch pwned);`id`");
    ck_assert(!path_exists("pwned"));
    free(out);
    const char *missing[] = {"asr-no-such-program", NULL};
    ck_assert_int_eq(spawn_read(missing, 1000, &out, &len), -1);
    ck_assert(contains(asr_last_error(), "asr-no-such-program"));
    const char *yes[] = {"yes", NULL};
    ck_assert_int_eq(spawn_read(yes, 100000, &out, &len), -1);
    ck_assert(contains(asr_last_error(), "more than 100000 bytes"));
    const char *f[] = {"false", NULL};
    ck_assert_int_eq(spawn_read(f, 10, &out, &len), 1);
    free(out);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("spawn");
    TCase *tc = tcase_create("spawn");
    tcase_add_test(tc, spawn_passes_arguments_verbatim);
    suite_add_tcase(s, tc);
    return s;
}
