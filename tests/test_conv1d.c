/* test_conv1d.c — src/nn/conv1d.c: one output against the direct sum,
 * padding frames neither read nor given gradient, and the gradients of the
 * input, weights and bias against central finite differences (stride 2,
 * dilation 2, two utterances of different length). */
#include <check.h>

#include "testgrad.h"

#include "nn/conv1d.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>

/* conv1d: linear in each variable, so central differences are exact up to
 * float rounding. Two utterances of different length, stride 2, dilation 2. */
enum { B = 2, T = 7, C = 3, OC = 4, K = 3 };
static const conv1d_shape shape = {C, OC, K, 2, 2};
static const int lens[B] = {7, 4};
static float x[B * T * C], w[OC * K * C], bias[OC], y[B * T * OC], rr[B * T * OC],
    col[B * T * K * C];

static double conv_loss(void)
{
    conv1d_forward(y, col, x, w, bias, lens, B, T, &shape);
    int To = conv1d_out_len(&shape, T);
    double s = 0;
    for (int i = 0; i < B * To * OC; i++) s += (double)y[i] * rr[i];
    return s;
}

START_TEST(conv1d_gradients_and_padding)
{
    rng_state r;
    rng_seed(&r, 7);
    test_fill(&r, x, B * T * C, -1, 1);
    test_fill(&r, w, OC * K * C, -1, 1);
    test_fill(&r, bias, OC, -1, 1);
    int To = conv1d_out_len(&shape, T);
    ck_assert_int_eq(To, 4);
    test_fill(&r, rr, (size_t)(B * To * OC), -1, 1);
    /* Output frames past utterance 1's end (ceil(4/2) = 2) carry no gradient. */
    for (int t = 2; t < To; t++)
        for (int o = 0; o < OC; o++) rr[(To + t) * OC + o] = 0;
    /* Padding input of utterance 1 must not matter: poison it. */
    for (int t = 4; t < T; t++)
        for (int c = 0; c < C; c++) x[(T + t) * C + c] = 1e6f;
    conv_loss();
    for (int t = 2; t < To; t++) ck_assert_float_eq(y[(To + t) * OC], 0);
    /* Direct sum for one output: utterance 0, frame 1, channel 2: taps at
     * 2 + (k-1)*2 = 0, 2, 4. */
    double want = bias[2];
    for (int k = 0; k < K; k++)
        for (int c = 0; c < C; c++) want += w[2 * K * C + k * C + c] * x[(2 * k) * C + c];
    ck_assert_double_eq_tol(y[1 * OC + 2], want, 1e-5);
    float dx[B * T * C] = {0}, dw[OC * K * C] = {0}, db[OC] = {0}, dcol[B * T * K * C];
    conv1d_backward(dx, dw, db, dcol, rr, col, w, lens, B, T, &shape);
    test_fd_check(w, dw, OC * K * C, conv_loss, 1e-2, 1e-3);
    test_fd_check(bias, db, OC, conv_loss, 1e-2, 1e-3);
    test_fd_check(x, dx, T * C + 4 * C, conv_loss, 1e-2, 1e-3); /* the valid input frames */
    for (int t = 4; t < T; t++) ck_assert_float_eq(dx[(T + t) * C], 0);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("conv1d");
    TCase *tc = tcase_create("conv1d");
    tcase_add_test(tc, conv1d_gradients_and_padding);
    suite_add_tcase(s, tc);
    return s;
}
