/* test_dropout.c — src/nn/dropout.c: inverted dropout keeps the expectation
 * and the keep rate, and routes the gradient through the kept units only,
 * scaled by 1 / (1 - p). */
#include <check.h>

#include "nn/dropout.h"
#include "base/rng.h"

#include <stdlib.h>

START_TEST(dropout_keeps_expectation_and_routes_gradient)
{
    enum { N = 20000 };
    float *in = malloc(sizeof(float) * N), *out = malloc(sizeof(float) * N);
    float *d = calloc(N, sizeof(float)), *g = malloc(sizeof(float) * N);
    unsigned char *mask = malloc(N);
    for (int i = 0; i < N; i++) in[i] = 1, g[i] = 1;
    rng_state r;
    rng_seed(&r, 1);
    dropout_forward(out, mask, in, N, 0.25f, &r);
    double s = 0;
    int kept = 0;
    for (int i = 0; i < N; i++) s += out[i], kept += mask[i];
    ck_assert_double_eq_tol(s / N, 1.0, 0.02);
    ck_assert_int_gt(kept, N * 0.72);
    ck_assert_int_lt(kept, N * 0.78);
    dropout_backward(d, g, mask, N, 0.25f);
    for (int i = 0; i < N; i++) ck_assert_float_eq(d[i], mask[i] ? 1 / 0.75f : 0);
    free(in);
    free(out);
    free(d);
    free(g);
    free(mask);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("dropout");
    TCase *tc = tcase_create("dropout");
    tcase_add_test(tc, dropout_keeps_expectation_and_routes_gradient);
    suite_add_tcase(s, tc);
    return s;
}
