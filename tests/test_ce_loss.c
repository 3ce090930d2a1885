/* test_ce_loss.c — src/nn/ce_loss.c: frame cross-entropy against a
 * hand-computed value and gradient, ignored frames (no loss, no gradient),
 * a label outside the classes, and the gradient against central finite
 * differences. */
#include <check.h>

#include "testgrad.h"

#include "nn/ce_loss.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>

START_TEST(ce_hand_computed)
{
    /* Frame 0: equal logits, label 1: y = 1/3 each, loss ln 3.
     * Frame 1: logits 0, ln 2, ln 5: y = 1/8, 2/8, 5/8; label 2: loss ln(8/5).
     * Frame 2: ignored (-1): no loss, no gradient, whatever its logits. */
    float lg[9] = {0, 0, 0, 0, logf(2), logf(5), 30, -7, 2};
    int labels[3] = {1, 2, -1};
    float g[9];
    double loss = ce_loss(lg, 3, 3, labels, g, 0.5f);
    ck_assert_double_eq_tol(loss, log(3.0) + log(8.0 / 5.0), 1e-6);
    const double want[9] = {1 / 3.0, 1 / 3.0 - 1, 1 / 3.0, 1 / 8.0, 2 / 8.0, 5 / 8.0 - 1, 0, 0, 0};
    for (int i = 0; i < 9; i++) ck_assert_double_eq_tol(g[i], 0.5 * want[i], 1e-6);
    for (int i = 6; i < 9; i++) ck_assert_float_eq(g[i], 0.0f);
    /* Every frame ignored: zero loss. A label outside the classes: NaN. */
    int none[3] = {-1, -1, -1}, bad[3] = {1, 3, 0};
    ck_assert_double_eq(ce_loss(lg, 3, 3, none, NULL, 1), 0);
    ck_assert(isnan(ce_loss(lg, 3, 3, bad, g, 1)));
    for (int i = 0; i < 9; i++) ck_assert_float_eq(g[i], 0.0f);
}
END_TEST

START_TEST(ce_gradient_matches_finite_differences)
{
    enum { T = 5, V = 4 };
    rng_state r;
    rng_seed(&r, 21);
    float lg[T * V], g[T * V];
    test_fill(&r, lg, T * V, -2, 2);
    int labels[T] = {3, -1, 0, 2, 2};
    ce_loss(lg, T, V, labels, g, 1);
    const float e = 1e-2f;
    for (int i = 0; i < T * V; i++) {
        float keep = lg[i];
        lg[i] = keep + e;
        double lp = ce_loss(lg, T, V, labels, NULL, 1);
        lg[i] = keep - e;
        double lm = ce_loss(lg, T, V, labels, NULL, 1);
        lg[i] = keep;
        test_check_close(g[i], (lp - lm) / (2 * e), 2e-3, 2e-4, i);
    }
    for (int v = 0; v < V; v++) ck_assert_float_eq(g[1 * V + v], 0.0f);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("ce_loss");
    TCase *tc = tcase_create("ce_loss");
    tcase_add_test(tc, ce_hand_computed);
    tcase_add_test(tc, ce_gradient_matches_finite_differences);
    suite_add_tcase(s, tc);
    return s;
}
