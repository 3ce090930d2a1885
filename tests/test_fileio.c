/* test_fileio.c — untrusted inputs and safe outputs: the line reader's
 * limits, atomic files through symlinks and devices, locked and staged
 * output directories, inputs an output must not replace, numbers, and
 * running a program without a shell. */
#include <check.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/input_set.h"
#include "base/numparse.h"
#include "base/out_dir.h"
#include "base/spawn.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* Entries of DIR (not . and ..). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* ---- the line reader ---- */

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

/* ---- atomic files ---- */

START_TEST(atomic_file_leaves_no_temporary)
{
    char *dir = test_path("tmpless");
    ck_assert_int_eq(make_dirs(dir), 0);
    char *p = test_path("tmpless/f.txt");
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, p, "w"), 0);
    fputs("half", af.fp);
    atomic_file_abort(&af);
    ck_assert_int_eq(entries(dir), 0);
    ck_assert_int_eq(atomic_file_open(&af, p, "w"), 0);
    fputs("whole\n", af.fp);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    ck_assert_int_eq(entries(dir), 1);
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
    ck_assert_int_eq(atomic_file_open(&af, link, "w"), 0);
    fputs("new\n", af.fp);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_str_eq(test_slurp(target), "new\n");

    char *dangling = test_path("dangling.txt");
    ck_assert_int_eq(symlink("/nonexistent/asr-nowhere", dangling), 0);
    ck_assert_int_eq(atomic_file_open(&af, dangling, "w"), -1);
    ck_assert(contains(asr_last_error(), "symbolic link"));
    free(target);
    free(link);
    free(dangling);
}
END_TEST

START_TEST(atomic_file_writes_through_devices_and_refuses_directories)
{
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, "/dev/null", "w"), 0);
    ck_assert(af.direct);
    ck_assert_ptr_null(af.tmp);
    fputs("gone\n", af.fp);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    struct stat st;
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));

    ck_assert_int_eq(atomic_file_open(&af, "-", "w"), 0);
    ck_assert(af.fp == stdout && af.direct);
    ck_assert_int_eq(atomic_file_commit(&af), 0);

    ck_assert_int_eq(atomic_file_open(&af, test_tmpdir(), "w"), -1);
    ck_assert(contains(asr_last_error(), "is a directory"));
}
END_TEST

START_TEST(atomic_file_keeps_the_mode)
{
    char *p = test_write_text("mode.txt", "x\n");
    ck_assert_int_eq(chmod(p, 0600), 0);
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, p, "w"), 0);
    fputs("y\n", af.fp);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    struct stat st;
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    free(p);
}
END_TEST

/* ---- output directories ---- */

START_TEST(dir_lock_excludes_a_second_writer)
{
    char *d = test_path("locked");
    dir_lock a, b;
    ck_assert_int_eq(dir_lock_acquire(&a, d), 0);
    ck_assert_int_eq(dir_lock_acquire(&b, d), -1);
    ck_assert(contains(asr_last_error(), "another process"));
    dir_lock_release(&a);
    ck_assert_int_eq(dir_lock_acquire(&b, d), 0);
    dir_lock_release(&b);
    free(d);
}
END_TEST

START_TEST(staged_dir_replaces_only_when_complete)
{
    char *out = test_path("staged");
    char *file = test_path("staged/f.txt");
    staged_dir s;
    ck_assert_int_eq(staged_dir_begin(&s, out, 0), 0);
    ck_assert(!path_exists(out));
    char *f = malloc(strlen(s.tmp) + 8);
    sprintf(f, "%s/f.txt", s.tmp);
    FILE *fp = fopen(f, "w");
    fputs("one\n", fp);
    fclose(fp);
    /* A second writer of the same OUT is refused while the first runs. */
    staged_dir t;
    ck_assert_int_eq(staged_dir_begin(&t, out, 0), -1);
    ck_assert(contains(asr_last_error(), "another process"));
    ck_assert_int_eq(staged_dir_commit(&s), 0);
    ck_assert_str_eq(test_slurp(file), "one\n");
    ck_assert(!path_exists(f));        /* OUT.tmp is gone */
    ck_assert_int_eq(entries(out), 1); /* no staging mark left inside */

    /* Exists: refused without force; replaced with it. */
    ck_assert_int_eq(staged_dir_begin(&s, out, 0), -1);
    ck_assert(contains(asr_last_error(), "--force"));
    ck_assert_int_eq(staged_dir_begin(&s, out, 1), 0);
    fp = fopen(f, "w");
    fputs("two\n", fp);
    fclose(fp);
    ck_assert_str_eq(test_slurp(file), "one\n"); /* untouched until commit */
    ck_assert_int_eq(staged_dir_commit(&s), 0);
    ck_assert_str_eq(test_slurp(file), "two\n");
    ck_assert(!path_exists(f));

    /* Aborted: OUT untouched, OUT.tmp gone. */
    ck_assert_int_eq(staged_dir_begin(&s, out, 1), 0);
    staged_dir_abort(&s);
    ck_assert_str_eq(test_slurp(file), "two\n");
    ck_assert(!path_exists(f));
    free(f);
    free(out);
    free(file);
}
END_TEST

START_TEST(staged_dir_reclaims_only_its_own_leftovers)
{
    char *out = test_path("left");
    char *tmp = test_path("left.tmp");
    /* A killed run's OUT.tmp: marked, unlocked, removed by the next run. */
    ck_assert_int_eq(make_dirs(tmp), 0);
    free(test_write_text("left.tmp/.asr-staging", ""));
    free(test_write_text("left.tmp/junk", "x"));
    staged_dir s;
    ck_assert_int_eq(staged_dir_begin(&s, out, 0), 0);
    ck_assert_int_eq(entries(tmp), 1); /* only the new mark */
    staged_dir_abort(&s);
    /* Someone else's directory of that name is never removed. */
    ck_assert_int_eq(make_dirs(tmp), 0);
    free(test_write_text("left.tmp/mine", "x"));
    ck_assert_int_eq(staged_dir_begin(&s, out, 0), -1);
    ck_assert(contains(asr_last_error(), "not made by asr"));
    ck_assert_int_eq(entries(tmp), 1);
    free(out);
    free(tmp);
}
END_TEST

START_TEST(remove_tree_does_not_follow_symlinks)
{
    char *keep = test_write_text("keep.txt", "precious\n");
    char *tree = test_path("tree/a/b");
    ck_assert_int_eq(make_dirs(tree), 0);
    char *link = test_path("tree/a/link");
    ck_assert_int_eq(symlink(test_tmpdir(), link), 0);
    char *root = test_path("tree");
    /* A name a shell would expand: removal never goes through one. */
    char *odd = test_path("tree/'$(touch pwned)'");
    free(test_write_text("tree/'$(touch pwned)'", "x"));
    ck_assert_int_eq(remove_tree(root), 0);
    ck_assert(!path_exists(root));
    ck_assert_str_eq(test_slurp(keep), "precious\n");
    ck_assert(!path_exists("pwned"));
    ck_assert_int_eq(remove_tree(root), 0); /* already gone: fine */
    free(keep);
    free(tree);
    free(link);
    free(root);
    free(odd);
}
END_TEST

/* ---- inputs ---- */

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

/* ---- numbers ---- */

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
    const char *bad_d[] = {"nan", "inf", "1e400", "-inf", "3x", ""};
    for (size_t i = 0; i < sizeof bad_d / sizeof *bad_d; i++)
        ck_assert_int_eq(parse_double("--snr", bad_d[i], -50, 100, &d), -1);
}
END_TEST

/* ---- programs ---- */

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
    Suite *s = suite_create("fileio");
    TCase *tc = tcase_create("fileio");
    tcase_add_test(tc, line_reader_refuses_nul_long_lines_and_directories);
    tcase_add_test(tc, atomic_file_leaves_no_temporary);
    tcase_add_test(tc, atomic_file_writes_a_symlinks_target_and_keeps_the_link);
    tcase_add_test(tc, atomic_file_writes_through_devices_and_refuses_directories);
    tcase_add_test(tc, atomic_file_keeps_the_mode);
    tcase_add_test(tc, dir_lock_excludes_a_second_writer);
    tcase_add_test(tc, staged_dir_replaces_only_when_complete);
    tcase_add_test(tc, staged_dir_reclaims_only_its_own_leftovers);
    tcase_add_test(tc, remove_tree_does_not_follow_symlinks);
    tcase_add_test(tc, input_set_catches_another_name_for_an_input);
    tcase_add_test(tc, numbers_never_wrap_or_saturate);
    tcase_add_test(tc, spawn_passes_arguments_verbatim);
    suite_add_tcase(s, tc);
    return s;
}
