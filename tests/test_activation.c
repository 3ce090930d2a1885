/* test_activation.c — src/nn/activation.c: the clipped ReLU's values and a
 * finite-difference check of its gradient away from the kinks.
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

#include "nn/activation.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>

enum { NA = 40 };
static float ax[NA], ay[NA], ar[NA];
static double relu_loss(void)
{
    clipped_relu_forward(ay, ax, NA, 20.0f);
    return test_dot(ay, ar, NA);
}

START_TEST(clipped_relu_values_and_gradient)
{
    rng_state rs;
    rng_seed(&rs, 2);
    test_fill(&rs, ar, NA, -1, 1);
    /* Values away from the kinks at 0 and 20 by more than e. */
    for (int i = 0; i < NA; i++) {
        double u = rng_uniform(&rs);
        ax[i] = (float)(i % 3 == 0 ? -5 + 4 * u : i % 3 == 1 ? 1 + 18 * u : 21 + 5 * u);
    }
    clipped_relu_forward(ay, ax, NA, 20.0f);
    for (int i = 0; i < NA; i++)
        ck_assert_float_eq(ay[i], ax[i] < 0 ? 0.0f : ax[i] > 20 ? 20.0f : ax[i]);
    float dx[NA] = {0};
    clipped_relu_backward(dx, ar, ax, NA, 20.0f);
    test_fd_check(ax, dx, NA, relu_loss, 1e-2, 1e-3);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("activation");
    TCase *tc = tcase_create("activation");
    tcase_add_test(tc, clipped_relu_values_and_gradient);
    suite_add_tcase(s, tc);
    return s;
}
