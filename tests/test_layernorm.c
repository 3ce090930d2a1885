/* test_layernorm.c — src/nn/layernorm.c: the normalised output has zero
 * mean and unit variance, and the gradients of the input, gain and bias
 * match central finite differences. */
#include <check.h>

#include "testgrad.h"

#include "nn/layernorm.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>

enum { LN_N = 3, LN_C = 5 };
static float lx[LN_N * LN_C], lg_[LN_C], lb[LN_C], ly[LN_N * LN_C], lr_[LN_N * LN_C], lmean[LN_N],
    lrstd[LN_N];
static double ln_loss(void)
{
    layernorm_forward(ly, lmean, lrstd, lx, lg_, lb, LN_N, LN_C);
    double s = 0;
    for (int i = 0; i < LN_N * LN_C; i++) s += (double)ly[i] * lr_[i];
    return s;
}

START_TEST(layernorm_gradients)
{
    rng_state r;
    rng_seed(&r, 9);
    test_fill(&r, lx, LN_N * LN_C, -2, 2);
    test_fill(&r, lg_, LN_C, 0.5, 1.5);
    test_fill(&r, lb, LN_C, -1, 1);
    test_fill(&r, lr_, LN_N * LN_C, -1, 1);
    ln_loss();
    /* Each output row has mean sum(beta)/C... check the normalised part:
     * (y - beta)/gamma has zero mean and unit variance. */
    double m = 0, v = 0;
    for (int c = 0; c < LN_C; c++) m += (ly[c] - lb[c]) / lg_[c];
    for (int c = 0; c < LN_C; c++) v += pow((ly[c] - lb[c]) / lg_[c] - m / LN_C, 2);
    ck_assert_double_eq_tol(m / LN_C, 0, 1e-5);
    ck_assert_double_eq_tol(v / LN_C, 1, 1e-3);
    float dx[LN_N * LN_C] = {0}, dg[LN_C] = {0}, db[LN_C] = {0};
    layernorm_backward(dx, dg, db, lr_, lx, lg_, lmean, lrstd, LN_N, LN_C);
    test_fd_check(lx, dx, LN_N * LN_C, ln_loss, 1e-3, 5e-3);
    test_fd_check(lg_, dg, LN_C, ln_loss, 1e-3, 5e-3);
    test_fd_check(lb, db, LN_C, ln_loss, 1e-3, 5e-3);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("layernorm");
    TCase *tc = tcase_create("layernorm");
    tcase_add_test(tc, layernorm_gradients);
    suite_add_tcase(s, tc);
    return s;
}
