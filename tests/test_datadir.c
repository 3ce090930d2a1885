/* test_datadir.c — src/recognizer/datadir.c: a split into parts combines
 * back to the original; subsets keep what they name and refuse a name that
 * is not there; validation counts every problem (with the audio decoded);
 * no output replaces an input. */
#include <check.h>

#include "base/error.h"
#include "base/fileio.h"
#include "recognizer/datadir.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle)
{
    return strstr(asr_last_error(), needle) != NULL;
}

START_TEST(split_parts_combine_to_the_original)
{
    char *d = test_toy_corpus("d", 12), *out = test_path("s");
    char *names[] = {"train", "dev", "test"};
    double frac[] = {0.5, 0.25, 0.25};
    datadir_summary parts[3];
    datadir_split_job j = {d, out, names, frac, 3, 0, 7, test_io()};
    ck_assert_int_eq(datadir_split(&j, parts), 0);
    ck_assert_int_eq(parts[0].utterances + parts[1].utterances + parts[2].utterances, 12);
    ck_assert_int_eq(parts[0].utterances, 6);
    char *ins[3];
    for (int k = 0; k < 3; k++) {
        ins[k] = malloc(strlen(out) + 16);
        sprintf(ins[k], "%s/%s", out, names[k]);
    }
    char *all = test_path("all");
    datadir_summary s;
    ck_assert_int_eq(datadir_combine(test_io(), all, ins, 3, &s), 0);
    ck_assert_int_eq(s.utterances, 12);
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/text", d);
    snprintf(b, sizeof b, "%s/text", all);
    char ta[1024];
    snprintf(ta, sizeof ta, "%s", test_slurp(a));
    ck_assert_str_eq(ta, test_slurp(b));
    /* Combining a directory into itself is refused (it is an input). */
    ck_assert_int_eq(datadir_combine(test_io(), ins[0], ins, 2, &s), -1);
    ck_assert(has("an input of this command"));
    /* A speaker split keeps each speaker in one part. */
    j.by_speaker = 1;
    j.k = 2;
    j.outdir = test_path("bys");
    j.io = test_io();
    ck_assert_int_eq(datadir_split(&j, parts), 0);
    ck_assert_int_eq(parts[0].speakers + parts[1].speakers, 2);
    for (int k = 0; k < 3; k++) free(ins[k]);
    free((char *)j.outdir);
    free(d);
    free(out);
    free(all);
}
END_TEST

START_TEST(subsets_keep_what_they_name)
{
    char *d = test_toy_corpus("d", 6), *out = test_path("sub");
    int kept, total;
    ck_assert_int_eq(datadir_subset(test_io(), d, out, SUBSET_FIRST, NULL, 4, &kept, &total), 0);
    ck_assert_int_eq(kept, 4);
    ck_assert_int_eq(total, 6);
    char *list = test_write_text("spk", "s1\n");
    ck_assert_int_eq(datadir_subset(test_io(), d, out, SUBSET_SPEAKERS, list, 0, &kept, &total), 0);
    ck_assert_int_eq(kept, 3);
    char *typo = test_write_text("typo", "u01\nu99\n");
    ck_assert_int_eq(datadir_subset(test_io(), d, out, SUBSET_UTTERANCES, typo, 0, &kept, &total),
                     -1);
    ck_assert(has("utterance 'u99' is not in"));
    /* A subset of D written over D is refused; D is untouched. */
    ck_assert_int_eq(datadir_subset(test_io(), d, d, SUBSET_FIRST, NULL, 1, &kept, &total), -1);
    datadir_summary s;
    ck_assert_int_eq(datadir_validate(d, 0, stdout, &s), 0);
    ck_assert_int_eq(s.utterances, 6);
    free(d);
    free(out);
    free(list);
    free(typo);
}
END_TEST

START_TEST(validation_counts_every_problem)
{
    char *d = test_toy_corpus("d", 4);
    datadir_summary s;
    FILE *devnull = fopen("/dev/null", "w");
    ck_assert_int_eq(datadir_validate(d, 1, devnull, &s), 0);
    ck_assert_double_gt(s.seconds, 1.0);
    /* Two problems: an unsorted text and a speaker-less utterance. */
    free(test_write_text("d/text", "u01 b\nu00 a\nu02 c\nu03 a b\n"));
    free(test_write_text("d/utt2spk", "u00 s0\nu01 s1\nu02 s0\n"));
    ck_assert_int_eq(datadir_validate(d, 0, devnull, &s), 2);
    fclose(devnull);
    free(d);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("datadir");
    TCase *tc = tcase_create("datadir");
    tcase_add_test(tc, split_parts_combine_to_the_original);
    tcase_add_test(tc, subsets_keep_what_they_name);
    tcase_add_test(tc, validation_counts_every_problem);
    suite_add_tcase(s, tc);
    return s;
}
