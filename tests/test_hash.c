/* test_hash.c — src/base/hash.c: XXH64 gives the reference implementation's
 * values (checked against libxxhash 0.8.1 for every length 0..1000 when
 * written; the short inputs are the published vectors), whatever the
 * machine's byte order; a file hashes as its blocks chained, then its size;
 * what is not a regular file is refused, naming it. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/hash.h"
#include "testutil.h"

START_TEST(hash_reference_values)
{
    unsigned char b[100];
    for (int i = 0; i < 100; i++) b[i] = (unsigned char)(i * 131 + 7);
    ck_assert_uint_eq(hash64("", 0, 0), 0xef46db3751d8e999ULL);
    ck_assert_uint_eq(hash64("abc", 3, 0), 0x44bc2cf5ad770999ULL);
    /* 100 bytes: the four lanes (32-byte stripes), then 8-, 4- and 1-byte tails. */
    ck_assert_uint_eq(hash64(b, 100, 1), 0xe6a0d25e6e0a7f2aULL);
    ck_assert_uint_ne(hash64(b, 99, 1), hash64(b, 100, 1));
    ck_assert_uint_ne(hash64(b, 100, 2), hash64(b, 100, 1));
}
END_TEST

START_TEST(hash_file_and_refusals)
{
    char *p = test_write_text("a.txt", "abc");
    uint64_t h = 0;
    ck_assert_int_eq(hash64_file(p, 5, &h), 0);
    const unsigned char size[8] = {3};
    ck_assert_uint_eq(h, hash64(size, 8, hash64("abc", 3, 5)));
    ck_assert_int_eq(hash64_file("/dev/zero", 0, &h), -1);
    ck_assert(strstr(asr_last_error(), "/dev/zero: not a regular file"));
    ck_assert_int_eq(hash64_file(test_tmpdir(), 0, &h), -1);
    ck_assert_int_eq(hash64_file("/nonexistent/x", 0, &h), -1);
    ck_assert(strstr(asr_last_error(), "/nonexistent/x"));
    free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("hash");
    TCase *tc = tcase_create("hash");
    tcase_add_test(tc, hash_reference_values);
    tcase_add_test(tc, hash_file_and_refusals);
    suite_add_tcase(s, tc);
    return s;
}
