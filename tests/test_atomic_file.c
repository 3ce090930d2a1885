/* test_atomic_file.c — src/base/atomic_file.c: commit replaces the old content only when done,
 * abort keeps it and leaves no temporary; a symlink's target is written and the
 * link kept, a dangling one refused; devices and "-" are written in place,
 * directories refused; an existing file keeps its mode. */
#include <check.h>

#include "base/atomic_file.h"
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

START_TEST(atomic_commit_replaces_and_abort_keeps_old)
{
    char *p = test_write_text("atomic.txt", "old\n");
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, test_io(), p, "w"), 0);
    fputs("new\n", af.fp);
    /* Before commit the old content is still there. */
    ck_assert_str_eq(test_slurp(p), "old\n");
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    ck_assert_str_eq(test_slurp(p), "new\n");

    ck_assert_int_eq(atomic_file_open(&af, test_io(), p, "w"), 0);
    fputs("half", af.fp);
    atomic_file_abort(&af);
    ck_assert_str_eq(test_slurp(p), "new\n");
}
END_TEST
START_TEST(atomic_open_in_missing_dir_fails_with_path)
{
    io_set *io = test_io();
    ck_assert_int_eq(io_set_output(io, "/nonexistent-dir/x.txt", "the test"), 0);
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, io, "/nonexistent-dir/x.txt", "w"), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "/nonexistent-dir/x.txt"));
    ck_assert(!contains(asr_last_error(), "declared"));
}
END_TEST
START_TEST(atomic_file_leaves_no_temporary)
{
    char *dir = test_path("tmpless");
    ck_assert_int_eq(make_dirs(dir), 0);
    char *p = test_path("tmpless/f.txt");
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, test_io(), p, "w"), 0);
    fputs("half", af.fp);
    atomic_file_abort(&af);
    ck_assert_int_eq(test_dir_entries(dir), 0);
    ck_assert_int_eq(atomic_file_open(&af, test_io(), p, "w"), 0);
    fputs("whole\n", af.fp);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    ck_assert_int_eq(test_dir_entries(dir), 1);
    ck_assert_str_eq(test_slurp(p), "whole\n");
    free(dir);
    free(p);
}
END_TEST
START_TEST(atomic_file_writes_a_symlinks_target_and_keeps_the_link)
{
    char *target = test_write_text("target.txt", "old\n");
    char *link = test_path("link.txt");
    ck_assert_int_eq(symlink(target, link), 0);
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, test_io(), link, "w"), 0);
    fputs("new\n", af.fp);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_str_eq(test_slurp(target), "new\n");

    char *dangling = test_path("dangling.txt");
    ck_assert_int_eq(symlink("/nonexistent/asr-nowhere", dangling), 0);
    ck_assert_int_eq(atomic_file_open(&af, test_io(), dangling, "w"), -1);
    ck_assert(contains(asr_last_error(), "symbolic link"));
    free(target);
    free(link);
    free(dangling);
}
END_TEST
START_TEST(atomic_file_writes_through_devices_and_refuses_directories)
{
    io_set *io = test_io();
    ck_assert_int_eq(io_set_output(io, "/dev/null", "the test"), 0);
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, io, "/dev/null", "w"), 0);
    ck_assert(af.direct);
    ck_assert_ptr_null(af.tmp);
    fputs("gone\n", af.fp);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    struct stat st;
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));

    ck_assert_int_eq(atomic_file_open(&af, test_io(), "-", "w"), 0);
    ck_assert(af.fp == stdout && af.direct);
    ck_assert_int_eq(atomic_file_commit(&af), 0);

    ck_assert_int_eq(atomic_file_open(&af, test_io(), test_tmpdir(), "w"), -1);
    ck_assert(contains(asr_last_error(), "is a directory"));
}
END_TEST
START_TEST(atomic_file_keeps_the_mode)
{
    char *p = test_write_text("mode.txt", "x\n");
    ck_assert_int_eq(chmod(p, 0600), 0);
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, test_io(), p, "w"), 0);
    fputs("y\n", af.fp);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    struct stat st;
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("atomic_file");
    TCase *tc = tcase_create("atomic_file");
    tcase_add_test(tc, atomic_commit_replaces_and_abort_keeps_old);
    tcase_add_test(tc, atomic_open_in_missing_dir_fails_with_path);
    tcase_add_test(tc, atomic_file_leaves_no_temporary);
    tcase_add_test(tc, atomic_file_writes_a_symlinks_target_and_keeps_the_link);
    tcase_add_test(tc, atomic_file_writes_through_devices_and_refuses_directories);
    tcase_add_test(tc, atomic_file_keeps_the_mode);
    suite_add_tcase(s, tc);
    return s;
}
