/* test_rng.c — src/base/rng.c: the same seed gives the same stream, uniform
 * and normal draws have the right mean and variance, rng_below covers its
 * range evenly, a shuffle is a permutation that moves most elements. */
#include <check.h>

#include "base/rng.h"

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
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("rng");
    tcase_add_test(tc, rng_reproducible_and_uniform);
    tcase_add_test(tc, rng_shuffle_is_permutation);
    suite_add_tcase(s, tc);
    return s;
}
