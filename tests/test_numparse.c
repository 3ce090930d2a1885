/* test_numparse.c — src/base/numparse.c: numbers from untrusted text never wrap (-1), saturate
 * (1e23) or pass as nan/inf. */
#include <check.h>

#include "base/error.h"
#include "base/numparse.h"
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

START_TEST(numbers_never_wrap_or_saturate)
{
    uint64_t u;
    ck_assert_int_eq(parse_u64("--seed", "18446744073709551615", &u), 0);
    ck_assert(u == UINT64_MAX);
    const char *bad_u[] = {"-1", "1e23", "18446744073709551616", "", " 1", "+1", "0x10"};
    for (size_t i = 0; i < sizeof bad_u / sizeof *bad_u; i++)
        ck_assert_int_eq(parse_u64("--seed", bad_u[i], &u), -1);
    ck_assert(contains(asr_last_error(), "--seed 0x10: expected an integer"));
    int n;
    ck_assert_int_eq(parse_int("--threads", "0", 0, 256, &n), 0);
    ck_assert_int_eq(parse_int("--threads", "257", 0, 256, &n), -1);
    ck_assert_int_eq(parse_int("--threads", "99999999999999999999", 0, 256, &n), -1);
    double d;
    ck_assert_int_eq(parse_double("--snr", "-5.5", -50, 100, &d), 0);
    ck_assert_double_eq(d, -5.5);
    const char *good_d[] = {"1", "+1", "-1.", ".5", "1e1", "1E+1", "5e-1"};
    for (size_t i = 0; i < sizeof good_d / sizeof *good_d; i++)
        ck_assert_int_eq(parse_double("--snr", good_d[i], -50, 100, &d), 0);
    /* strtod's hexadecimal, blanks and "infinity" are not numbers here. */
    const char *bad_d[] = {"nan", "inf", "1e400", "-inf", "3x", "",  "0x1",     "0x1p3",
                           " 1",  "1 ",  ".",     "e1",   "1e", "+", "infinity"};
    for (size_t i = 0; i < sizeof bad_d / sizeof *bad_d; i++)
        ck_assert_int_eq(parse_double("--snr", bad_d[i], -50, 100, &d), -1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("numparse");
    TCase *tc = tcase_create("numparse");
    tcase_add_test(tc, numbers_never_wrap_or_saturate);
    suite_add_tcase(s, tc);
    return s;
}
