/* test_json.c — src/base/json.c and utf8.c: a JSON string is valid JSON
 * (RFC 8259: UTF-8, control characters escaped) whatever bytes it is made
 * of; utf8_decode takes exactly RFC 3629's UTF-8. */
#include <check.h>

#include "base/json.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* S as json_write_string writes it (a new string). */
static char *json_of(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    json_write_string(f, s);
    fclose(f);
    return buf;
}

static void expect_json(const char *in, const char *want)
{
    char *got = json_of(in);
    ck_assert_str_eq(got, want);
    free(got);
}

/* Before, bytes >= 0x80 went out as they were (a Latin-1 'é' made the file
 * invalid UTF-8, which Python's json refuses) and DEL and C1 unescaped. */
START_TEST(json_string_always_valid)
{
    expect_json("plain", "\"plain\"");
    expect_json("a\"b\\c", "\"a\\\"b\\\\c\"");
    expect_json("tab\tnl\nesc\x1b[31m", "\"tab\\u0009nl\\u000aesc\\u001b[31m\"");
    expect_json("del\x7f", "\"del\\u007f\"");
    expect_json("csi\xc2\x9b", "\"csi\\u009b\"");                            /* C1 CSI, as UTF-8 */
    expect_json("caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\""); /* kept */
    expect_json("caf\xe9", "\"caf\\ufffd\"");                                /* Latin-1 */
    expect_json("\xff\xfe", "\"\\ufffd\\ufffd\"");
    expect_json("\xe2\x82", "\"\\ufffd\\ufffd\"");            /* cut short */
    expect_json("\xc0\xaf", "\"\\ufffd\\ufffd\"");            /* overlong '/' */
    expect_json("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a surrogate */
}
END_TEST

START_TEST(utf8_decode_rfc3629)
{
    uint32_t cp;
    ck_assert_int_eq(utf8_decode("a", &cp), 1);
    ck_assert_uint_eq(cp, 'a');
    ck_assert_int_eq(utf8_decode("\xc3\xa9", &cp), 2);
    ck_assert_uint_eq(cp, 0xe9);
    ck_assert_int_eq(utf8_decode("\xe2\x82\xac", &cp), 3);
    ck_assert_uint_eq(cp, 0x20ac);
    ck_assert_int_eq(utf8_decode("\xf4\x8f\xbf\xbf", &cp), 4);
    ck_assert_uint_eq(cp, 0x10ffff);
    const char *bad[] = {"\x80",
                         "\xbf",
                         "\xc0\x80",
                         "\xc1\xbf",
                         "\xe0\x80\x80",
                         "\xf0\x80\x80\x80",
                         "\xed\xbf\xbf",
                         "\xf4\x90\x80\x80",
                         "\xf5\x80\x80\x80",
                         "\xff",
                         "\xc3",
                         "\xe2\x82",
                         "\xc3("};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(utf8_decode(bad[i], &cp) == 0, "bad[%zu] taken", i);
    char ch[5];
    ck_assert_int_eq(utf8_char("\xc3\xa9x", ch), 2);
    ck_assert_str_eq(ch, "\xc3\xa9");
    ck_assert_int_eq(utf8_char("\xe9x", ch), 1);
    ck_assert_str_eq(ch, "\xe9");
    ck_assert(utf8_is_control(0) && utf8_is_control(0x1b) && utf8_is_control(0x7f) &&
              utf8_is_control(0x85) && utf8_is_control(0x9f));
    ck_assert(!utf8_is_control(' ') && !utf8_is_control('~') && !utf8_is_control(0xa0) &&
              !utf8_is_control(0xe9));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, json_string_always_valid);
    tcase_add_test(tc, utf8_decode_rfc3629);
    suite_add_tcase(s, tc);
    return s;
}
