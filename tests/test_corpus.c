/* test_corpus.c — data directories: read/write round trip, every validation
 * problem reported at its FILE:LINE, speaker-disjoint seeded splits. */
#include <check.h>

#include "text/corpus.h"
#include "base/error.h"
#include "base/fileio.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Write DIR/NAME with TEXT (DIR under the test tmpdir). */
static void put(const char *dir, const char *name, const char *text)
{
    char rel[256];
    snprintf(rel, sizeof rel, "%s/%s", dir, name);
    free(test_write_text(rel, text));
}

static char *make_dir(const char *name)
{
    char *d = test_path(name);
    ck_assert_int_eq(make_dirs(d), 0);
    return d;
}

START_TEST(round_trip_keeps_every_field)
{
    char *d = make_dir("rt");
    char *w = test_write_wav("a.wav", (float[4]){0}, 4, 8000);
    char scp[1024];
    snprintf(scp, sizeof scp, "u1 %s\nu2 %s\nu3 %s\n", w, w, w);
    put("rt", "wav.scp", scp);
    put("rt", "text", "u1 one  two\nu2 oh\nu3 two\n");
    put("rt", "utt2spk", "u1 s1\nu2 s2\nu3 s1\n");
    put("rt", "phones", "u1 W AH N T UW\nu2 OW\nu3 T UW\n");
    corpus c;
    ck_assert_int_eq(corpus_read(d, &c), 0);
    ck_assert_int_eq(c.n, 3);
    ck_assert_int_eq(c.has_phones, 1);
    ck_assert_str_eq(c.utts[0].text, "one two"); /* blanks normalised */
    ck_assert_str_eq(c.utts[1].speaker, "s2");
    ck_assert_str_eq(c.utts[1].phones, "OW");
    ck_assert_int_eq(corpus_find(&c, "u2"), 1);
    ck_assert_int_eq(corpus_find(&c, "u4"), -1);
    char *d2 = test_path("rt2");
    ck_assert_int_eq(corpus_write(test_io(), d2, &c), 0);
    corpus c2;
    ck_assert_int_eq(corpus_read(d2, &c2), 0);
    ck_assert_int_eq(c2.n, 3);
    ck_assert_str_eq(c2.utts[0].wav, w);
    /* spk2utt, the inverse of utt2spk, speakers sorted. */
    char *s2u = test_path("rt2/spk2utt"), *got = test_slurp(s2u);
    ck_assert_str_eq(got, "s1 u1 u3\ns2 u2\n");
    free(s2u);
    ck_assert_str_eq(c2.utts[0].phones, "W AH N T UW");
    corpus_free(&c);
    corpus_free(&c2);
    free(d);
    free(d2);
    free(w);
}
END_TEST

/* segments: utterances are spans of wav.scp's recordings; written back with
 * the recordings once each; bad lines refused at their FILE:LINE. */
START_TEST(segments_make_utterances_of_recordings)
{
    char *d = make_dir("seg");
    char *w = test_write_wav("long.wav", (float[8]){0}, 8, 8000);
    char scp[1024];
    snprintf(scp, sizeof scp, "rec1 %s\n", w);
    put("seg", "wav.scp", scp);
    put("seg", "segments", "a rec1 0 0.5\nb rec1 0.5 -1\n");
    put("seg", "text", "a one\nb two\n");
    put("seg", "utt2spk", "a s\nb s\n");
    corpus c;
    ck_assert_msg(corpus_read(d, &c) == 0, "%s", asr_last_error());
    ck_assert_int_eq(c.n, 2);
    ck_assert_str_eq(c.utts[1].id, "b");
    ck_assert_str_eq(c.utts[1].wav, w);
    ck_assert_str_eq(c.utts[1].recording, "rec1");
    ck_assert_double_eq(c.utts[1].start, 0.5);
    ck_assert_double_eq(c.utts[1].end, -1);
    char *d2 = test_path("seg2");
    ck_assert_int_eq(corpus_write(test_io(), d2, &c), 0);
    char *p = test_path("seg2/segments");
    ck_assert_str_eq(test_slurp(p), "a rec1 0 0.5\nb rec1 0.5 -1\n");
    free(p);
    p = test_path("seg2/wav.scp");
    ck_assert_str_eq(test_slurp(p), scp);
    free(p);
    corpus_free(&c);

    static const char *const bad[][2] = {
        {"a rec1 0 0.5\nb rec9 0.5 1\n", "segments:2: 'b': recording 'rec9' is not in wav.scp"},
        {"a rec1 0.5 0.2\nb rec1 0.5 1\n", "segments:1: 'a': expected"},
        {"a rec1 x 1\nb rec1 0.5 1\n", "segments:1: 'a': expected"},
        {"a rec1 0 1 2\nb rec1 0.5 1\n", "segments:1: 'a': expected"},
        {"a rec1 0 1\n", "'b' is not in segments"},
    };
    for (int i = 0; i < 5; i++) {
        put("seg", "segments", bad[i][0]);
        ck_assert_int_eq(corpus_read(d, &c), -1);
        ck_assert_msg(strstr(asr_last_error(), bad[i][1]), "%s", asr_last_error());
    }
    free(d);
    free(d2);
    free(w);
}
END_TEST

/* A '\r' inside a line is a blank like a tab: "u1 \r " has an empty
 * transcript (it was "\r", which written back ended its line and read back
 * as nothing; found by fuzz_datadir), "one\rtwo" is two words. */
START_TEST(carriage_returns_inside_a_line_are_blanks)
{
    char *d = make_dir("cr");
    char *w = test_write_wav("cr.wav", (float[4]){0}, 4, 8000);
    char scp[1024];
    snprintf(scp, sizeof scp, "u1 %s\r \nu2 %s\n", w, w);
    put("cr", "wav.scp", scp);
    put("cr", "text", "u1 one\rtwo\r \nu2 oh\n");
    put("cr", "utt2spk", "u1\rs1\nu2 s2\n");
    corpus c;
    ck_assert_int_eq(corpus_read(d, &c), 0);
    ck_assert_str_eq(c.utts[0].wav, w);
    ck_assert_str_eq(c.utts[0].text, "one two");
    ck_assert_str_eq(c.utts[0].speaker, "s1");
    corpus_free(&c);
    put("cr", "text", "u1 \r \nu2 oh\n");
    ck_assert_int_eq(corpus_read(d, &c), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "text:1: 'u1': empty transcript"));
    free(d);
    free(w);
}
END_TEST

START_TEST(validate_reports_every_problem_with_file_and_line)
{
    char *d = make_dir("bad");
    char *w = test_write_wav("b.wav", (float[4]){0}, 4, 8000);
    char scp[1024];
    /* line 2 unsorted (a before c), line 3 duplicate c, missing audio for d */
    snprintf(scp, sizeof scp, "c %s\na %s\nc %s\nd /nonexistent/d.wav\n", w, w, w);
    put("bad", "wav.scp", scp);
    put("bad", "text", "a one\nc\nd two\n");  /* c: empty transcript */
    put("bad", "utt2spk", "a s\nc s\nx s\n"); /* d missing, x extra */
    char *rep = test_path("report.txt");
    FILE *f = fopen(rep, "w");
    int n = corpus_validate(d, f);
    fclose(f);
    FILE *r = fopen(rep, "r");
    char all[4096] = "";
    size_t got = fread(all, 1, sizeof all - 1, r);
    all[got] = 0;
    fclose(r);
    ck_assert_msg(strstr(all, "wav.scp:2: not sorted") != NULL, "%s", all);
    ck_assert_msg(strstr(all, "wav.scp:3: duplicate utterance id 'c'") != NULL, "%s", all);
    ck_assert_msg(strstr(all, "wav.scp:4: 'd': audio file /nonexistent/d.wav does not exist"), "%s",
                  all);
    ck_assert_msg(strstr(all, "text:2: 'c': empty transcript") != NULL, "%s", all);
    ck_assert_msg(strstr(all, "wav.scp:4: 'd' is missing from utt2spk") != NULL, "%s", all);
    ck_assert_msg(strstr(all, "utt2spk:3: 'x' is not in wav.scp") != NULL, "%s", all);
    ck_assert_int_eq(n, 6);
    corpus c;
    ck_assert_int_eq(corpus_read(d, &c), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "wav.scp:2"));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "5 more problems"));
    free(d);
    free(w);
    free(rep);
}
END_TEST

START_TEST(a_missing_file_is_named)
{
    char *d = make_dir("nofile");
    put("nofile", "wav.scp", "");
    put("nofile", "text", "");
    ck_assert_int_gt(corpus_validate(d, NULL), 0);
    corpus c;
    ck_assert_int_eq(corpus_read(d, &c), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "utt2spk: missing"));
    free(d);
}
END_TEST

static corpus toy(int nspk, int per)
{
    corpus c = {0};
    char id[32], spk[32];
    for (int s = 0; s < nspk; s++)
        for (int u = 0; u < per; u++) {
            snprintf(id, sizeof id, "s%02d-u%02d", s, u);
            snprintf(spk, sizeof spk, "s%02d", s);
            corpus_add(&c, id, "x.wav", "one", spk, NULL);
        }
    ck_assert_int_eq(corpus_sort(&c), 0);
    return c;
}

START_TEST(split_by_speaker_is_disjoint_complete_and_seeded)
{
    corpus c = toy(20, 5), p[4], q[4];
    const double frac[4] = {0.7, 0.1, 0.1, 0.1};
    ck_assert_int_eq(corpus_split(&c, 1, frac, 4, 42, NULL, p), 0);
    ck_assert_int_eq(p[0].n + p[1].n + p[2].n + p[3].n, 100);
    ck_assert_int_eq(p[0].n, 70); /* 14 speakers x 5 */
    ck_assert_int_eq(p[1].n, 10);
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            for (int i = 0; i < p[a].n; i++)
                for (int j = 0; j < p[b].n; j++)
                    ck_assert_str_ne(p[a].utts[i].speaker, p[b].utts[j].speaker);
    ck_assert_int_eq(corpus_split(&c, 1, frac, 4, 42, NULL, q), 0);
    for (int i = 0; i < p[2].n; i++) ck_assert_str_eq(p[2].utts[i].id, q[2].utts[i].id);
    for (int k = 0; k < 4; k++) corpus_free(&q[k]);
    ck_assert_int_eq(corpus_split(&c, 1, frac, 4, 43, NULL, q), 0);
    int same = p[2].n == q[2].n;
    for (int i = 0; same && i < p[2].n; i++) same = !strcmp(p[2].utts[i].id, q[2].utts[i].id);
    ck_assert_msg(!same, "another seed gave the same dev split");
    for (int k = 0; k < 4; k++) {
        corpus_free(&p[k]);
        corpus_free(&q[k]);
    }
    corpus_free(&c);
}
END_TEST

START_TEST(split_by_utterance_apportions_exactly)
{
    corpus c = toy(1, 7), p[3];
    const double frac[3] = {1, 1, 1};
    ck_assert_int_eq(corpus_split(&c, 0, frac, 3, 1, NULL, p), 0);
    ck_assert_int_eq(p[0].n + p[1].n + p[2].n, 7);
    for (int k = 0; k < 3; k++) {
        ck_assert(p[k].n == 2 || p[k].n == 3);
        corpus_free(&p[k]);
    }
    corpus_add(&c, "s00-u03", "y.wav", "two", "s00", NULL);
    ck_assert_int_eq(corpus_sort(&c), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "s00-u03"));
    corpus_free(&c);
}
END_TEST

/* Four speakers cannot fill four parts of 0.8, 0.05, 0.1, 0.05: two would
 * be empty data directories (they were, with exit 0: issue 26). A part of
 * fraction 0 may be empty. */
START_TEST(split_refuses_an_empty_part)
{
    corpus c = toy(4, 2), p[4];
    const double frac[4] = {0.8, 0.05, 0.1, 0.05};
    char *names[4] = {"train", "train_dev", "dev", "test"};
    ck_assert_int_eq(corpus_split(&c, 1, frac, 4, 1, names, p), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "train_dev would be empty: 4 speakers cannot "
                                                   "fill 4 parts by speaker"));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "train 0.8: 3, train_dev 0.05: 0, dev 0.1: 1"));
    ck_assert_int_eq(corpus_split(&c, 1, frac, 4, 1, NULL, p), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "part 2 would be empty"));
    const double some_zero[4] = {0.8, 0, 0.2, 0};
    ck_assert_int_eq(corpus_split(&c, 1, some_zero, 4, 1, names, p), 0);
    ck_assert_int_eq(p[0].n + p[2].n, 8);
    ck_assert_int_eq(p[1].n + p[3].n, 0);
    for (int k = 0; k < 4; k++) corpus_free(&p[k]);
    /* By utterance the same 4 parts fill (8 utterances). */
    ck_assert_int_eq(corpus_split(&c, 0, frac, 4, 1, names, p), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "8 utterances cannot fill 4 parts"));
    corpus_free(&c);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("corpus");
    TCase *tc = tcase_create("corpus");
    tcase_add_test(tc, round_trip_keeps_every_field);
    tcase_add_test(tc, carriage_returns_inside_a_line_are_blanks);
    tcase_add_test(tc, validate_reports_every_problem_with_file_and_line);
    tcase_add_test(tc, a_missing_file_is_named);
    tcase_add_test(tc, segments_make_utterances_of_recordings);
    tcase_add_test(tc, split_by_speaker_is_disjoint_complete_and_seeded);
    tcase_add_test(tc, split_by_utterance_apportions_exactly);
    tcase_add_test(tc, split_refuses_an_empty_part);
    suite_add_tcase(s, tc);
    return s;
}
