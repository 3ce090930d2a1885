/* test_affine.c — src/nn/affine.c: finite-difference gradient check of the
 * input, weights and bias; backward accumulates into the gradients.
 *
 * The check takes the scalar L = sum_i r_i * out_i with fixed random r,
 * compares the analytic gradient (backward with dout = r) against central
 * differences (L(x+e) - L(x-e)) / 2e, L accumulated in double, e = 1e-2.
 * The layer is linear or piecewise linear in each single variable, so the
 * central difference is exact up to float32 rounding of the forward pass
 * (~1e-7 relative per output, times ~C terms): a tolerance of 1e-3 relative
 * (plus 1e-4 absolute) is two orders above that noise and far below any
 * real error (a wrong index or a missing term is O(1)).
 */
#include <check.h>

#include "testgrad.h"

#include "nn/affine.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>

enum { N = 5, C = 4, OC = 3 };
static float x[N * C], w[OC * C], b[OC], y[N * OC], r[N * OC];

static double affine_loss(void)
{
    affine_forward(y, x, w, b, N, C, OC);
    return test_dot(y, r, N * OC);
}

START_TEST(affine_gradients)
{
    rng_state rs;
    rng_seed(&rs, 1);
    test_fill(&rs, x, N * C, -1, 1);
    test_fill(&rs, w, OC * C, -1, 1);
    test_fill(&rs, b, OC, -1, 1);
    test_fill(&rs, r, N * OC, -1, 1);
    float dx[N * C], dw[OC * C], db[OC];
    /* Pre-fill gradients with 1 to check backward accumulates (+=). */
    for (int i = 0; i < N * C; i++) dx[i] = 1;
    for (int i = 0; i < OC * C; i++) dw[i] = 1;
    for (int i = 0; i < OC; i++) db[i] = 1;
    affine_backward(dx, dw, db, r, x, w, N, C, OC);
    for (int i = 0; i < N * C; i++) dx[i] -= 1;
    for (int i = 0; i < OC * C; i++) dw[i] -= 1;
    for (int i = 0; i < OC; i++) db[i] -= 1;
    test_fd_check(x, dx, N * C, affine_loss, 1e-2, 1e-3);
    test_fd_check(w, dw, OC * C, affine_loss, 1e-2, 1e-3);
    test_fd_check(b, db, OC, affine_loss, 1e-2, 1e-3);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("affine");
    TCase *tc = tcase_create("affine");
    tcase_add_test(tc, affine_gradients);
    suite_add_tcase(s, tc);
    return s;
}
