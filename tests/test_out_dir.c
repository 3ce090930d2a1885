/* test_out_dir.c — src/base/out_dir.c: a second writer of a directory is refused (flock), staged
 * output appears only whole and replaces only when complete, a killed run's leftovers are reclaimed
 * and nobody else's, trees are removed without a shell or following symlinks. */
#include <check.h>

#include "base/error.h"
#include "base/fileio.h"
#include "base/out_dir.h"
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
    ck_assert_int_eq(staged_dir_begin(&s, test_io(), out, 0), 0);
    ck_assert(!path_exists(out));
    char *f = malloc(strlen(s.tmp) + 8);
    sprintf(f, "%s/f.txt", s.tmp);
    FILE *fp = fopen(f, "w");
    fputs("one\n", fp);
    fclose(fp);
    /* A second writer of the same OUT is refused while the first runs. */
    staged_dir t;
    ck_assert_int_eq(staged_dir_begin(&t, test_io(), out, 0), -1);
    ck_assert(contains(asr_last_error(), "another process"));
    ck_assert_int_eq(staged_dir_commit(&s), 0);
    ck_assert_str_eq(test_slurp(file), "one\n");
    ck_assert(!path_exists(f));                 /* OUT.tmp is gone */
    ck_assert_int_eq(test_dir_entries(out), 1); /* no staging mark left inside */

    /* Exists: refused without force; replaced with it. */
    ck_assert_int_eq(staged_dir_begin(&s, test_io(), out, 0), -1);
    ck_assert(contains(asr_last_error(), "--force"));
    ck_assert_int_eq(staged_dir_begin(&s, test_io(), out, 1), 0);
    fp = fopen(f, "w");
    fputs("two\n", fp);
    fclose(fp);
    ck_assert_str_eq(test_slurp(file), "one\n"); /* untouched until commit */
    ck_assert_int_eq(staged_dir_commit(&s), 0);
    ck_assert_str_eq(test_slurp(file), "two\n");
    ck_assert(!path_exists(f));

    /* Aborted: OUT untouched, OUT.tmp gone. */
    ck_assert_int_eq(staged_dir_begin(&s, test_io(), out, 1), 0);
    staged_dir_abort(&s);
    ck_assert_str_eq(test_slurp(file), "two\n");
    ck_assert(!path_exists(f));
    free(f);
    free(out);
    free(file);
}
END_TEST
START_TEST(staged_dir_never_replaces_a_file)
{
    /* --force replaces a directory; a file of that name is not one (it was
     * swapped for the new directory and removed with the old tree). */
    char *out = test_write_text("not-a-dir", "precious\n");
    staged_dir s;
    ck_assert_int_eq(staged_dir_begin(&s, test_io(), out, 1), -1);
    ck_assert(contains(asr_last_error(), "not-a-dir") &&
              contains(asr_last_error(), "not a directory"));
    ck_assert_str_eq(test_slurp(out), "precious\n");
    free(out);
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
    ck_assert_int_eq(staged_dir_begin(&s, test_io(), out, 0), 0);
    ck_assert_int_eq(test_dir_entries(tmp), 1); /* only the new mark */
    staged_dir_abort(&s);
    /* Someone else's directory of that name is never removed. */
    ck_assert_int_eq(make_dirs(tmp), 0);
    free(test_write_text("left.tmp/mine", "x"));
    ck_assert_int_eq(staged_dir_begin(&s, test_io(), out, 0), -1);
    ck_assert(contains(asr_last_error(), "not made by asr"));
    ck_assert_int_eq(test_dir_entries(tmp), 1);
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

Suite *make_suite(void)
{
    Suite *s = suite_create("out_dir");
    TCase *tc = tcase_create("out_dir");
    tcase_add_test(tc, dir_lock_excludes_a_second_writer);
    tcase_add_test(tc, staged_dir_replaces_only_when_complete);
    tcase_add_test(tc, staged_dir_never_replaces_a_file);
    tcase_add_test(tc, staged_dir_reclaims_only_its_own_leftovers);
    tcase_add_test(tc, remove_tree_does_not_follow_symlinks);
    suite_add_tcase(s, tc);
    return s;
}
