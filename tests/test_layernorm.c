/* test_layernorm.c — src/nn/layernorm.c: the normalised output has zero
 * mean and unit variance, and the gradients of the input, gain and bias
 * match central finite differences. */
#include <check.h>

#include "nn/layernorm.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>

static void fill(rng_state *r, float *x, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++) x[i] = (float)(lo + (hi - lo) * rng_uniform(r));
}

static void check_close(double analytic, double numeric, double rel, double abs_tol, int i)
{
    ck_assert_msg(fabs(analytic - numeric) <= abs_tol + rel * fabs(numeric),
                  "element %d: analytic %.6g vs numeric %.6g", i, analytic, numeric);
}

static void fd(float *v, const float *grad, int n, double (*loss)(void), double e, double rel)
{
    for (int i = 0; i < n; i++) {
        float keep = v[i];
        v[i] = keep + (float)e;
        double lp = loss();
        v[i] = keep - (float)e;
        double lm = loss();
        v[i] = keep;
        check_close(grad[i], (lp - lm) / (2 * e), rel, 1e-4, i);
    }
}

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
    fill(&r, lx, LN_N * LN_C, -2, 2);
    fill(&r, lg_, LN_C, 0.5, 1.5);
    fill(&r, lb, LN_C, -1, 1);
    fill(&r, lr_, LN_N * LN_C, -1, 1);
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
    fd(lx, dx, LN_N * LN_C, ln_loss, 1e-3, 5e-3);
    fd(lg_, dg, LN_C, ln_loss, 1e-3, 5e-3);
    fd(lb, db, LN_C, ln_loss, 1e-3, 5e-3);
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
