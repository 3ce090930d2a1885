/* test_io_set.c — src/base/io_set.c: an output is never an input or another output, by
 * any name (the same, a symlink, a hard link), whichever of the two is declared first; a
 * directory replaced may hold no input; a writer refuses a path nobody declared, and
 * every writer claims its path (atomic files, model files, staged directories). */
#include <check.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/io_set.h"
#include "base/model_file.h"
#include "base/out_dir.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int said(const char *needle)
{
    return strstr(asr_last_error(), needle) != NULL;
}

/* IN, a symlink to it and a hard link to it: the three names of one file. */
static void three_names(const char *name, char *names[3])
{
    char soft[256], hard[256];
    snprintf(soft, sizeof soft, "%s.link", name);
    snprintf(hard, sizeof hard, "%s.hard", name);
    names[0] = test_write_text(name, "precious\n");
    names[1] = test_path(soft);
    names[2] = test_path(hard);
    ck_assert_int_eq(symlink(names[0], names[1]), 0);
    ck_assert_int_eq(link(names[0], names[2]), 0);
}

static void free3(char *names[3])
{
    for (int k = 0; k < 3; k++) free(names[k]);
}

START_TEST(an_output_is_no_input_by_any_name)
{
    char *names[3];
    three_names("in.txt", names);
    for (int k = 0; k < 3; k++) {
        /* Input first, then the output. */
        io_set s;
        io_set_init(&s);
        ck_assert_int_eq(io_set_input(&s, names[0]), 0);
        ck_assert_int_eq(io_set_input(&s, "/nonexistent/ignored"), 0);
        ck_assert_int_eq(io_set_output(&s, names[k], "--stats"), -1);
        ck_assert(said(names[k]) && said("in.txt") && said("--stats"));
        io_set_free(&s);
        /* Output first, then the input. */
        io_set_init(&s);
        ck_assert_int_eq(io_set_output(&s, names[k], "--out"), 0);
        ck_assert_int_eq(io_set_input(&s, names[0]), -1);
        ck_assert(said("an input of this command"));
        io_set_free(&s);
    }
    ck_assert_str_eq(test_slurp(names[0]), "precious\n");
    free3(names);
}
END_TEST

START_TEST(two_outputs_are_not_one_file)
{
    char *names[3];
    three_names("out.txt", names);
    for (int k = 0; k < 3; k++) {
        io_set s;
        io_set_init(&s);
        ck_assert_int_eq(io_set_output(&s, names[0], "--out"), 0);
        ck_assert_int_eq(io_set_output(&s, names[k], "--stats"), -1);
        ck_assert(said("--out") && said("--stats"));
        io_set_free(&s);
    }
    /* Not there yet: the same name, however it is spelled. */
    char *a = test_path("new.txt"), *b = test_path("./sub/../new.txt");
    ck_assert_int_eq(make_dirs(test_path("sub")), 0);
    io_set s;
    io_set_init(&s);
    ck_assert_int_eq(io_set_output(&s, a, "--out"), 0);
    ck_assert_int_eq(io_set_output(&s, b, "--units"), -1);
    /* Standard output and devices are written in place: they replace nothing. */
    ck_assert_int_eq(io_set_output(&s, "-", "--units"), 0);
    ck_assert_int_eq(io_set_output(&s, "-", "--stats"), 0);
    ck_assert_int_eq(io_set_output(&s, "/dev/null", "--units"), 0);
    ck_assert_int_eq(io_set_output(&s, "/dev/null", "--stats"), 0);
    ck_assert_int_eq(io_set_input(&s, "/dev/null"), 0);
    /* An output directory declared again is the one directory. */
    ck_assert_int_eq(io_set_output_dir(&s, test_tmpdir(), "--out", 0), 0);
    ck_assert_int_eq(io_set_output_dir(&s, test_tmpdir(), "the report", 0), 0);
    io_set_free(&s);
    free(a);
    free(b);
    free3(names);
}
END_TEST

START_TEST(a_replaced_directory_holds_no_input)
{
    char *in = test_write_text("held.txt", "x\n");
    io_set s;
    io_set_init(&s);
    ck_assert_int_eq(io_set_input(&s, in), 0);
    /* Written into, it may hold inputs; replaced, it may not. */
    ck_assert_int_eq(io_set_output_dir(&s, test_tmpdir(), "OUT", 0), 0);
    ck_assert_int_eq(io_set_output_dir(&s, test_tmpdir(), "OUT", 1), -1);
    ck_assert(said("held.txt") && said("replacing"));
    io_set_free(&s);
    /* The other order: the input comes after. */
    io_set_init(&s);
    ck_assert_int_eq(io_set_output_dir(&s, test_tmpdir(), "OUT", 1), 0);
    ck_assert_int_eq(io_set_input(&s, in), -1);
    /* An output directory that is an input directory. */
    io_set_free(&s);
    io_set_init(&s);
    ck_assert_int_eq(io_set_input(&s, test_tmpdir()), 0);
    ck_assert_int_eq(io_set_output_dir(&s, test_tmpdir(), "OUT", 0), -1);
    io_set_free(&s);
    free(in);
}
END_TEST

START_TEST(writers_claim_their_paths)
{
    char *in = test_write_text("model.in", "model\n");
    char *dir = test_path("rep"), *inside = test_path("rep/report.json");
    char *stray = test_path("stray.txt"), *link = test_path("rep/link.json");
    ck_assert_int_eq(make_dirs(dir), 0);
    ck_assert_int_eq(symlink(in, link), 0);
    io_set s;
    io_set_init(&s);
    ck_assert_int_eq(io_set_input(&s, in), 0);
    ck_assert_int_eq(io_set_output_dir(&s, dir, "--out", 0), 0);
    atomic_file af;
    /* Inside the declared directory: written. */
    ck_assert_int_eq(atomic_file_open(&af, &s, inside, "w"), 0);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    /* Nobody declared it: refused, nothing made. */
    ck_assert_int_eq(atomic_file_open(&af, &s, stray, "w"), -1);
    ck_assert(said("stray.txt") && said("declared"));
    ck_assert(!path_exists(stray));
    model_file m;
    model_file_init(&m);
    ck_assert_int_eq(model_file_write(&m, &s, stray), -1);
    model_file_free(&m);
    /* A symlink in the directory to an input: refused, the input kept. */
    ck_assert_int_eq(atomic_file_open(&af, &s, link, "w"), -1);
    ck_assert(said("model.in"));
    ck_assert_str_eq(test_slurp(in), "model\n");
    /* A staged directory: OUT must be declared; OUT.tmp is then writable. */
    staged_dir sd;
    char *staged = test_path("staged");
    ck_assert_int_eq(staged_dir_begin(&sd, &s, staged, 0), -1);
    ck_assert_int_eq(io_set_output_dir(&s, staged, "OUT_DIR", 1), 0);
    ck_assert_int_eq(staged_dir_begin(&sd, &s, staged, 0), 0);
    char *p = path_join(sd.tmp, "x");
    ck_assert_int_eq(atomic_file_open(&af, &s, p, "w"), 0);
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    ck_assert_int_eq(staged_dir_commit(&sd), 0);
    staged_dir_abort(&sd);
    io_set_free(&s);
    free(p);
    free(staged);
    free(in);
    free(dir);
    free(inside);
    free(stray);
    free(link);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("io_set");
    TCase *tc = tcase_create("io_set");
    tcase_add_test(tc, an_output_is_no_input_by_any_name);
    tcase_add_test(tc, two_outputs_are_not_one_file);
    tcase_add_test(tc, a_replaced_directory_holds_no_input);
    tcase_add_test(tc, writers_claim_their_paths);
    suite_add_tcase(s, tc);
    return s;
}
