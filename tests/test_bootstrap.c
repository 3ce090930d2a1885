/* test_bootstrap.c — src/text/bootstrap.c: the interval holds the WER and
 * narrows as the test set grows (about 1/sqrt(n)); the same seed gives the
 * same interval; resampling speakers gives a wider interval than resampling
 * utterances when errors cluster by speaker; a paired test finds no
 * difference between identical systems and a sure one when B wins
 * everywhere; bad settings are refused. */
#include <check.h>

#include "text/bootstrap.h"

#include <stdlib.h>

/* N utterances of 5 words; one error in every utterance whose index % K == 0. */
static void make(int n, int k, int *err, int *ref)
{
    for (int i = 0; i < n; i++) {
        ref[i] = 5;
        err[i] = i % k == 0;
    }
}

START_TEST(interval_holds_the_wer_and_narrows)
{
    enum { N = 4000 };
    int *err = malloc(N * sizeof *err), *ref = malloc(N * sizeof *ref);
    make(N, 4, err, ref); /* WER 5% */
    bootstrap_config c;
    bootstrap_config_default(&c);
    bootstrap_result small, big, again;
    ck_assert_int_eq(bootstrap_wer(err, NULL, ref, NULL, 400, &c, &small), 0);
    ck_assert_int_eq(bootstrap_wer(err, NULL, ref, NULL, N, &c, &big), 0);
    ck_assert_double_eq_tol(big.value, 5.0, 1e-9);
    ck_assert(small.lo < small.value && small.value < small.hi);
    ck_assert(big.lo < 5.0 && 5.0 < big.hi);
    /* 10x the data: the interval about sqrt(10) = 3.2 times narrower. */
    double ratio = (small.hi - small.lo) / (big.hi - big.lo);
    ck_assert_msg(ratio > 2.5 && ratio < 4.0, "width ratio %g", ratio);
    /* The theory: one error per utterance with probability 1/4, so the
     * errors' sd is sqrt(4000 * 3/16) = 27.4 of 20000 words, 0.137 points;
     * the 95% interval about 2 * 1.96 * 0.137 = 0.54 points wide. */
    ck_assert_msg(big.hi - big.lo > 0.45 && big.hi - big.lo < 0.65, "width %g", big.hi - big.lo);
    ck_assert_int_eq(bootstrap_wer(err, NULL, ref, NULL, N, &c, &again), 0);
    ck_assert(again.lo == big.lo && again.hi == big.hi);
    ck_assert_int_eq(big.units, N);
    free(err);
    free(ref);
}
END_TEST

START_TEST(speakers_widen_the_interval_when_errors_cluster)
{
    enum { N = 400 };
    int err[N], ref[N], group[N];
    /* 4 speakers of 100 utterances: two make an error in every utterance,
     * two in none (WER 10%): resampling utterances sees 400 independent
     * draws, resampling speakers only 4. */
    for (int i = 0; i < N; i++) {
        ref[i] = 5;
        group[i] = i / 100;
        err[i] = group[i] < 2;
    }
    bootstrap_config c;
    bootstrap_config_default(&c);
    bootstrap_result u, s;
    ck_assert_int_eq(bootstrap_wer(err, NULL, ref, NULL, N, &c, &u), 0);
    ck_assert_int_eq(bootstrap_wer(err, NULL, ref, group, N, &c, &s), 0);
    ck_assert_int_eq(s.units, 4);
    ck_assert_double_eq_tol(s.value, 10.0, 1e-9);
    ck_assert_msg(s.hi - s.lo > 4 * (u.hi - u.lo), "speakers %g, utterances %g", s.hi - s.lo,
                  u.hi - u.lo);
}
END_TEST

START_TEST(paired_test)
{
    enum { N = 500 };
    int a[N], b[N], ref[N];
    make(N, 4, a, ref);
    bootstrap_config c;
    bootstrap_config_default(&c);
    bootstrap_result r;
    ck_assert_int_eq(bootstrap_wer(a, a, ref, NULL, N, &c, &r), 0);
    ck_assert_double_eq(r.value, 0);
    ck_assert_double_eq(r.p, 1);
    /* B fixes half of A's errors and breaks nothing: A is worse, surely. */
    for (int i = 0; i < N; i++) b[i] = a[i] && i % 8 != 0;
    ck_assert_int_eq(bootstrap_wer(a, b, ref, NULL, N, &c, &r), 0);
    ck_assert_double_eq_tol(r.value, 2.52, 1e-9); /* 63 of 2500 words */
    ck_assert(r.lo > 0 && r.hi > r.lo);
    ck_assert(r.p < 0.01);
    /* B differs from A by one error: no sure difference. */
    for (int i = 0; i < N; i++) b[i] = a[i];
    b[1] = 1;
    ck_assert_int_eq(bootstrap_wer(a, b, ref, NULL, N, &c, &r), 0);
    ck_assert(r.lo <= 0 && r.hi >= r.value);
    ck_assert(r.p > 0.05);
}
END_TEST

START_TEST(bad_settings_are_refused)
{
    int e[2] = {0, 1}, n[2] = {0, 0}, g[2] = {0, 5};
    bootstrap_config c;
    bootstrap_config_default(&c);
    bootstrap_result r;
    ck_assert_int_eq(bootstrap_wer(e, NULL, n, NULL, 2, &c, &r), -1); /* no reference words */
    n[0] = 3;
    ck_assert_int_eq(bootstrap_wer(e, NULL, n, g, 2, &c, &r), -1); /* group out of range */
    c.resamples = 10;
    ck_assert_int_eq(bootstrap_wer(e, NULL, n, NULL, 2, &c, &r), -1);
    bootstrap_config_default(&c);
    c.level = 1.5;
    ck_assert_int_eq(bootstrap_wer(e, NULL, n, NULL, 2, &c, &r), -1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("bootstrap");
    TCase *tc = tcase_create("bootstrap");
    tcase_add_test(tc, interval_holds_the_wer_and_narrows);
    tcase_add_test(tc, speakers_widen_the_interval_when_errors_cluster);
    tcase_add_test(tc, paired_test);
    tcase_add_test(tc, bad_settings_are_refused);
    suite_add_tcase(s, tc);
    return s;
}
