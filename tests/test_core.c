/* test_core.c — error reporting, atomic files, the line reader, the RNG. */
#include <check.h>

#include "base/error.h"
#include "base/fileio.h"
#include "base/rng.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
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

START_TEST(atomic_commit_replaces_and_abort_keeps_old)
{
    char *p = test_write_text("atomic.txt", "old\n");
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, p, "w"), 0);
    fputs("new\n", af.fp);
    /* Before commit the old content is still there. */
    ck_assert_str_eq(test_slurp(p), "old\n");
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    ck_assert_str_eq(test_slurp(p), "new\n");

    ck_assert_int_eq(atomic_file_open(&af, p, "w"), 0);
    fputs("half", af.fp);
    atomic_file_abort(&af);
    ck_assert_str_eq(test_slurp(p), "new\n");
}
END_TEST

START_TEST(atomic_open_in_missing_dir_fails_with_path)
{
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, "/nonexistent-dir/x.txt", "w"), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "/nonexistent-dir/x.txt"));
}
END_TEST

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

START_TEST(rng_reproducible_and_uniform)
{
    rng_state a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 100; i++) ck_assert(rng_u64(&a) == rng_u64(&b));
    rng_seed(&b, 43);
    ck_assert(rng_u64(&a) != rng_u64(&b));

    /* Mean and variance of U(0,1) and N(0,1) over 200k draws. */
    double s = 0, s2 = 0, n1 = 0, n2 = 0;
    int counts[10] = {0};
    const int N = 200000;
    for (int i = 0; i < N; i++) {
        double u = rng_uniform(&a);
        ck_assert(u >= 0 && u < 1);
        s += u;
        s2 += u * u;
        double z = rng_normal(&a);
        n1 += z;
        n2 += z * z;
        counts[rng_below(&a, 10)]++;
    }
    ck_assert_double_eq_tol(s / N, 0.5, 0.005);
    ck_assert_double_eq_tol(s2 / N - (s / N) * (s / N), 1.0 / 12, 0.002);
    ck_assert_double_eq_tol(n1 / N, 0.0, 0.01);
    ck_assert_double_eq_tol(n2 / N, 1.0, 0.02);
    for (int k = 0; k < 10; k++) ck_assert_int_gt(counts[k], N / 10 - 1000);
}
END_TEST

START_TEST(rng_shuffle_is_permutation)
{
    rng_state r;
    rng_seed(&r, 1);
    int a[50], seen[50] = {0};
    for (int i = 0; i < 50; i++) a[i] = i;
    rng_shuffle_int(&r, a, 50);
    int moved = 0;
    for (int i = 0; i < 50; i++) {
        seen[a[i]]++;
        moved += a[i] != i;
    }
    for (int i = 0; i < 50; i++) ck_assert_int_eq(seen[i], 1);
    ck_assert_int_gt(moved, 40);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, error_message_kept);
    tcase_add_test(tc, atomic_commit_replaces_and_abort_keeps_old);
    tcase_add_test(tc, atomic_open_in_missing_dir_fails_with_path);
    tcase_add_test(tc, line_reader_counts_lines_and_strips_crlf);
    tcase_add_test(tc, split_fields_on_runs_of_blanks);
    tcase_add_test(tc, make_dirs_nested);
    tcase_add_test(tc, rng_reproducible_and_uniform);
    tcase_add_test(tc, rng_shuffle_is_permutation);
    suite_add_tcase(s, tc);
    return s;
}
