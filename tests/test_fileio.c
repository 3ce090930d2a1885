/* test_fileio.c — src/base/fileio.c: the line reader counts lines and strips CR LF, and refuses
 * over-long lines, NUL bytes and directories; fields split on runs of blanks;
 * nested directories are made idempotently; a stream is read up to a limit
 * without its buffer growing past it, and on to its end. */
#include <check.h>

#include "base/error.h"
#include "base/fileio.h"
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

START_TEST(line_reader_counts_lines_and_strips_crlf)
{
    char *p = test_write_text("lines.txt", "a b\r\n\nlast");
    line_reader lr;
    ck_assert_int_eq(line_reader_open(&lr, p), 0);
    ck_assert_str_eq(line_reader_next(&lr), "a b");
    ck_assert_int_eq(lr.lineno, 1);
    ck_assert_str_eq(line_reader_next(&lr), "");
    ck_assert_str_eq(line_reader_next(&lr), "last");
    ck_assert_int_eq(lr.lineno, 3);
    ck_assert_ptr_null(line_reader_next(&lr));
    line_reader_close(&lr);
    ck_assert_int_eq(line_reader_open(&lr, "/no/such/file"), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "/no/such/file"));
}
END_TEST
START_TEST(split_fields_on_runs_of_blanks)
{
    char line[] = "  utt1 \t hello   world ";
    char *f[8];
    ck_assert_int_eq(split_fields(line, f, 8), 3);
    ck_assert_str_eq(f[0], "utt1");
    ck_assert_str_eq(f[1], "hello");
    ck_assert_str_eq(f[2], "world");
}
END_TEST
START_TEST(make_dirs_nested)
{
    char *p = test_path("a/b/c");
    ck_assert_int_eq(make_dirs(p), 0);
    ck_assert(path_exists(p));
    ck_assert_int_eq(make_dirs(p), 0); /* idempotent */
}
END_TEST
START_TEST(line_reader_refuses_nul_long_lines_and_directories)
{
    char *p = test_path("nul.txt");
    FILE *f = fopen(p, "w");
    fwrite("ok\nab\0cd\nlast\n", 1, 14, f);
    fclose(f);
    line_reader lr;
    ck_assert_int_eq(line_reader_open(&lr, p), 0);
    ck_assert_str_eq(line_reader_next(&lr), "ok");
    ck_assert_ptr_null(line_reader_next(&lr));
    ck_assert_int_eq(line_reader_error(&lr), -1);
    ck_assert(contains(asr_last_error(), "nul.txt:2: NUL byte"));
    line_reader_close(&lr);

    char *big = malloc(LINE_READER_MAX_LINE + 16);
    memset(big, 'a', LINE_READER_MAX_LINE + 1);
    strcpy(big + LINE_READER_MAX_LINE + 1, "\n");
    char *q = test_write_text("long.txt", big);
    free(big);
    ck_assert_int_eq(line_reader_open(&lr, q), 0);
    ck_assert_ptr_null(line_reader_next(&lr));
    ck_assert_int_eq(line_reader_error(&lr), -1);
    ck_assert(contains(asr_last_error(), "long.txt:1: line longer than"));
    line_reader_close(&lr);

    /* A clean end of file is not an error. */
    char *e = test_write_text("end.txt", "x\n");
    ck_assert_int_eq(line_reader_open(&lr, e), 0);
    ck_assert_str_eq(line_reader_next(&lr), "x");
    ck_assert_ptr_null(line_reader_next(&lr));
    ck_assert_int_eq(line_reader_error(&lr), 0);
    line_reader_close(&lr);

    ck_assert_int_eq(line_reader_open(&lr, test_tmpdir()), -1);
    ck_assert(contains(asr_last_error(), "is a directory"));
    free(p);
    free(q);
    free(e);
}
END_TEST

START_TEST(read_stream_stops_at_its_limit)
{
    /* 300000 bytes: more than the first 64 KiB buffer, less than a power
     * of two; read to 100000 bytes, then on to the end. */
    enum { N = 300000 };
    FILE *f = tmpfile();
    for (int i = 0; i < N; i++) fputc(i % 251, f);
    rewind(f);
    unsigned char *b = NULL;
    size_t len = 0, cap = 0;
    ck_assert_int_eq(read_stream_until(f, "s", 100000, &b, &len, &cap), 0);
    ck_assert_uint_eq(len, 100000);
    ck_assert_uint_le(cap, 100000);
    ck_assert_int_eq(read_stream_until(f, "s", 1000000, &b, &len, &cap), 1);
    ck_assert_uint_eq(len, N);
    for (int i = 0; i < N; i++) ck_assert_int_eq(b[i], i % 251);
    free(b);
    fclose(f);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("fileio");
    TCase *tc = tcase_create("fileio");
    tcase_add_test(tc, line_reader_counts_lines_and_strips_crlf);
    tcase_add_test(tc, split_fields_on_runs_of_blanks);
    tcase_add_test(tc, make_dirs_nested);
    tcase_add_test(tc, line_reader_refuses_nul_long_lines_and_directories);
    tcase_add_test(tc, read_stream_stops_at_its_limit);
    suite_add_tcase(s, tc);
    return s;
}
