/* test_optim.c — src/nn/optim.c: each optimizer (sgd, momentum, rmsprop,
 * adam) for a few steps on the quadratic f(w) = w^2 / 2 (gradient w) against
 * updates worked out by hand from the rules in optim.h; the learning rate's
 * warm-up and per-epoch decay; clipping by the global gradient norm (the
 * norm returned is the one before clipping); weight decay added to the
 * gradient in place and counted in the norm; a non-finite gradient leaves
 * the parameters alone; the defaults and the names. */
#include <check.h>

#include "nn/optim.h"

#include <math.h>
#include <stddef.h>

/* A configuration of KIND with learning rate LR and everything else off
 * (no clipping, no decay, no warm-up). */
static optim_config plain(optim_kind kind, float lr)
{
    optim_config c;
    optim_config_default(&c);
    c.kind = kind;
    c.lr = lr;
    c.clip = 0;
    c.weight_decay = 0;
    c.warmup = 0;
    c.decay = 1;
    return c;
}

/* STEPS steps of O on f(w) = sum w_i^2 / 2 from W (N parameters), checking
 * W after each step against WANT[step][i]. */
static void run(optimizer *o, float *w, size_t n, int steps, const double *want, double tol)
{
    for (int s = 0; s < steps; s++) {
        float g[4];
        for (size_t i = 0; i < n; i++) g[i] = w[i];
        optim_step(o, w, g, o->c.lr);
        ck_assert_int_eq(o->step, s + 1);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(fabs(w[i] - want[s * n + i]) <= tol, "step %d, w[%zu] = %.9g, want %.9g",
                          s + 1, i, w[i], want[s * n + i]);
    }
}

START_TEST(sgd_takes_lr_times_the_gradient)
{
    /* lr 0.5 on w^2/2: w -= 0.5 w halves w each step, exactly in binary. */
    optim_config c = plain(OPTIM_SGD, 0.5f);
    optimizer o;
    optim_init(&o, &c, 2);
    float w[2] = {2, -4};
    const double want[] = {1, -2, 0.5, -1, 0.25, -0.5};
    run(&o, w, 2, 3, want, 0);
    optim_free(&o);
    /* The returned norm is ||g||: sqrt(3^2 + 4^2) = 5. */
    optim_init(&o, &c, 2);
    float w2[2] = {0, 0}, g[2] = {3, 4};
    ck_assert_double_eq_tol(optim_step(&o, w2, g, 0.5f), 5.0, 1e-12);
    ck_assert_float_eq(w2[0], -1.5f);
    ck_assert_float_eq(w2[1], -2.0f);
    optim_free(&o);
}
END_TEST

START_TEST(momentum_accumulates_the_gradient)
{
    /* mu 0.5, lr 0.5, w = 4:
     *   g 4:  m = 0.5*0 + 4 = 4,   w = 4 - 0.5*4 = 2
     *   g 2:  m = 0.5*4 + 2 = 4,   w = 2 - 0.5*4 = 0
     *   g 0:  m = 0.5*4 + 0 = 2,   w = 0 - 0.5*2 = -1   (moves with no gradient)
     *   g -1: m = 0.5*2 - 1 = 0,   w = -1 */
    optim_config c = plain(OPTIM_MOMENTUM, 0.5f);
    c.momentum = 0.5f;
    optimizer o;
    optim_init(&o, &c, 1);
    float w[1] = {4};
    const double want[] = {2, 0, -1, -1};
    run(&o, w, 1, 4, want, 0);
    optim_free(&o);
}
END_TEST

START_TEST(rmsprop_divides_by_the_running_rms)
{
    /* rho 0.75, eps 0.5 (added to the root, not under it), lr 0.5, w = 4:
     *   g 4:   v = 0.25*16 = 4,                 w = 4 - 0.5*4/(2 + 0.5) = 3.2
     *   g 3.2: v = 0.75*4 + 0.25*10.24 = 5.56,  w = 3.2 - 1.6/(2.3579652 + 0.5)
     *                                             = 2.6401611
     *   g 2.6401611: v = 0.75*5.56 + 0.25*6.9704507 = 5.9126127,
     *                w = 2.6401611 - 1.3200806/(2.4315865 + 0.5) = 2.1898655 */
    optim_config c = plain(OPTIM_RMSPROP, 0.5f);
    c.momentum = 0.75f;
    c.eps = 0.5f;
    optimizer o;
    optim_init(&o, &c, 1);
    float w[1] = {4};
    const double want[] = {3.2, 2.6401611, 2.1898655};
    run(&o, w, 1, 3, want, 2e-6);
    ck_assert_double_eq_tol(o.v[0], 5.9126127, 2e-6);
    optim_free(&o);
}
END_TEST

START_TEST(adam_corrects_the_bias_of_its_moments)
{
    /* b1 0.5, b2 0.75, eps 0, lr 0.1. Step 1: m = 0.5 g, v = 0.25 g^2, and
     * the corrections (1 - 0.5, 1 - 0.75) make the step exactly lr sign(g):
     * 4 -> 3.9, -1 -> -0.9. Step 2 for w = 3.9: m = 0.5*2 + 0.5*3.9 = 2.95,
     * v = 0.75*4 + 0.25*15.21 = 6.8025; m / 0.75 = 3.9333333,
     * v / 0.4375 = 15.548571, w = 3.9 - 0.1*3.9333333/3.9431677 = 3.8002494.
     * Likewise for w = -0.9: m = -0.7, v = 0.39, w = -0.8011462. Step 3:
     * 3.7008863 and -0.7042366. */
    optim_config c = plain(OPTIM_ADAM, 0.1f);
    c.beta1 = 0.5f;
    c.beta2 = 0.75f;
    c.eps = 0;
    optimizer o;
    optim_init(&o, &c, 2);
    float w[2] = {4, -1};
    const double want[] = {3.9, -0.9, 3.8002494, -0.8011462, 3.7008863, -0.7042366};
    run(&o, w, 2, 3, want, 2e-6);
    ck_assert_double_eq_tol(o.m[0], 0.5 * 2.95 + 0.5 * 3.8002494, 2e-6);
    optim_free(&o);
}
END_TEST

START_TEST(learning_rate_warms_up_then_decays_per_epoch)
{
    optim_config c = plain(OPTIM_SGD, 0.1f);
    /* No warm-up, no decay: the base rate whatever the step or epoch. */
    ck_assert_float_eq(optim_lr(&c, 0, 0), 0.1f);
    ck_assert_float_eq(optim_lr(&c, 12345, 7), 0.1f);
    /* Warm-up 4: step s (0-based) takes (s + 1)/4 of the rate, full from
     * step 3 on. */
    c.warmup = 4;
    ck_assert_float_eq_tol(optim_lr(&c, 0, 0), 0.025f, 1e-7);
    ck_assert_float_eq_tol(optim_lr(&c, 1, 0), 0.05f, 1e-7);
    ck_assert_float_eq_tol(optim_lr(&c, 2, 0), 0.075f, 1e-7);
    ck_assert_float_eq_tol(optim_lr(&c, 3, 0), 0.1f, 1e-7);
    ck_assert_float_eq_tol(optim_lr(&c, 4, 0), 0.1f, 1e-7);
    /* Decay 0.5 per epoch: 0.1, 0.05, 0.025 ... */
    c.decay = 0.5f;
    ck_assert_float_eq_tol(optim_lr(&c, 100, 0), 0.1f, 1e-7);
    ck_assert_float_eq_tol(optim_lr(&c, 100, 1), 0.05f, 1e-7);
    ck_assert_float_eq_tol(optim_lr(&c, 100, 3), 0.0125f, 1e-7);
    /* Both at once: a warm-up step in epoch 1 is ramped and decayed. */
    ck_assert_float_eq_tol(optim_lr(&c, 1, 1), 0.1f * 0.5f * 2 / 4, 1e-7);
}
END_TEST

START_TEST(clipping_scales_by_the_global_norm)
{
    /* Gradient (6, 8): norm 10. Each element is under a clip of 9 on its
     * own, the vector is not: scaled by 9/10 to (5.4, 7.2); the norm returned
     * is the one before clipping. */
    optim_config c = plain(OPTIM_SGD, 1.0f);
    c.clip = 9;
    optimizer o;
    optim_init(&o, &c, 2);
    float w[2] = {0, 0}, g[2] = {6, 8};
    ck_assert_double_eq_tol(optim_step(&o, w, g, 1.0f), 10.0, 1e-7);
    ck_assert_float_eq_tol(w[0], -5.4f, 1e-6);
    ck_assert_float_eq_tol(w[1], -7.2f, 1e-6);
    /* A norm under the clip (5 < 9), or exactly at it (clip 5), is left as it is. */
    float w2[2] = {0, 0}, g2[2] = {3, 4};
    optim_step(&o, w2, g2, 1.0f);
    ck_assert_float_eq(w2[0], -3.0f);
    ck_assert_float_eq(w2[1], -4.0f);
    o.c.clip = 5;
    optim_step(&o, w2, g2, 1.0f);
    ck_assert_float_eq(w2[0], -6.0f);
    ck_assert_float_eq(w2[1], -8.0f);
    optim_free(&o);
    /* Clip 0 is off. */
    c.clip = 0;
    optim_init(&o, &c, 2);
    float w3[2] = {0, 0}, g3[2] = {60, 80};
    optim_step(&o, w3, g3, 1.0f);
    ck_assert_float_eq(w3[0], -60.0f);
    ck_assert_float_eq(w3[1], -80.0f);
    optim_free(&o);
    /* Momentum keeps the clipped gradient: m = (3, 4) for (30, 40), clip 5,
     * then m = 0.5 (3, 4) + (3, 4). */
    c = plain(OPTIM_MOMENTUM, 1.0f);
    c.momentum = 0.5f;
    c.clip = 5;
    optim_init(&o, &c, 2);
    float w4[2] = {0, 0}, g4[2] = {30, 40};
    optim_step(&o, w4, g4, 1.0f);
    ck_assert_float_eq_tol(o.m[0], 3.0f, 1e-6);
    ck_assert_float_eq_tol(o.m[1], 4.0f, 1e-6);
    g4[0] = 30, g4[1] = 40;
    optim_step(&o, w4, g4, 1.0f);
    ck_assert_float_eq_tol(o.m[0], 4.5f, 1e-6);
    ck_assert_float_eq_tol(w4[1], -4.0f - 6.0f, 1e-5);
    optim_free(&o);
}
END_TEST

START_TEST(weight_decay_adds_to_the_gradient_in_place)
{
    /* sgd lr 0.5, decay 0.5, w = (2, -4), zero loss gradient: g = 0.5 w =
     * (1, -2), written back into the gradient, w -= 0.5 g -> (1.5, -3). */
    optim_config c = plain(OPTIM_SGD, 0.5f);
    c.weight_decay = 0.5f;
    optimizer o;
    optim_init(&o, &c, 2);
    float w[2] = {2, -4}, g[2] = {0, 0};
    ck_assert_double_eq_tol(optim_step(&o, w, g, 0.5f), sqrt(5.0), 1e-6);
    ck_assert_float_eq(g[0], 1.0f);
    ck_assert_float_eq(g[1], -2.0f);
    ck_assert_float_eq(w[0], 1.5f);
    ck_assert_float_eq(w[1], -3.0f);
    optim_free(&o);
    /* The decay term counts in the norm that is clipped: w = (2, 0),
     * g = (0, 4), decay 1.5 -> g = (3, 4), norm 5, clip 2.5 halves it. */
    c = plain(OPTIM_SGD, 1.0f);
    c.weight_decay = 1.5f;
    c.clip = 2.5f;
    optim_init(&o, &c, 2);
    float w2[2] = {2, 0}, g2[2] = {0, 4};
    ck_assert_double_eq_tol(optim_step(&o, w2, g2, 1.0f), 5.0, 1e-6);
    ck_assert_float_eq_tol(w2[0], 0.5f, 1e-6);
    ck_assert_float_eq_tol(w2[1], -2.0f, 1e-6);
    optim_free(&o);
}
END_TEST

START_TEST(a_non_finite_gradient_leaves_the_parameters)
{
    for (int k = 0; k < 4; k++) {
        optim_config c = plain((optim_kind)k, 0.1f);
        c.clip = 5;
        optimizer o;
        optim_init(&o, &c, 3);
        float w[3] = {1, 2, 3}, g[3] = {0.5f, NAN, 0.5f};
        ck_assert(isnan(optim_step(&o, w, g, 0.1f)));
        g[1] = INFINITY;
        ck_assert(isinf(optim_step(&o, w, g, 0.1f)));
        ck_assert_int_eq(o.step, 0);
        ck_assert_float_eq(w[0], 1.0f);
        ck_assert_float_eq(w[1], 2.0f);
        ck_assert_float_eq(w[2], 3.0f);
        for (int i = 0; i < 3; i++) ck_assert(o.m[i] == 0 && o.v[i] == 0);
        optim_free(&o);
    }
}
END_TEST

START_TEST(defaults_and_names)
{
    optim_config c;
    optim_config_default(&c);
    ck_assert_int_eq(c.kind, OPTIM_ADAM);
    ck_assert_float_eq(c.lr, 1e-3f);
    ck_assert_float_eq(c.beta1, 0.9f);
    ck_assert_float_eq(c.beta2, 0.999f);
    ck_assert_float_eq(c.eps, 1e-8f);
    ck_assert_float_eq(c.momentum, 0.9f);
    ck_assert_float_eq(c.weight_decay, 0.0f);
    ck_assert_float_eq(c.clip, 5.0f);
    ck_assert_int_eq(c.warmup, 0);
    ck_assert_float_eq(c.decay, 1.0f);
    const char *names[] = {"sgd", "momentum", "rmsprop", "adam"};
    for (int k = 0; k < 4; k++) {
        ck_assert_int_eq(optim_kind_parse(names[k]), k);
        ck_assert_str_eq(optim_kind_name((optim_kind)k), names[k]);
    }
    ck_assert_int_eq(optim_kind_parse("Adam"), -1);
    ck_assert_int_eq(optim_kind_parse(""), -1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("optim");
    TCase *tc = tcase_create("optim");
    tcase_add_test(tc, sgd_takes_lr_times_the_gradient);
    tcase_add_test(tc, momentum_accumulates_the_gradient);
    tcase_add_test(tc, rmsprop_divides_by_the_running_rms);
    tcase_add_test(tc, adam_corrects_the_bias_of_its_moments);
    tcase_add_test(tc, learning_rate_warms_up_then_decays_per_epoch);
    tcase_add_test(tc, clipping_scales_by_the_global_norm);
    tcase_add_test(tc, weight_decay_adds_to_the_gradient_in_place);
    tcase_add_test(tc, a_non_finite_gradient_leaves_the_parameters);
    tcase_add_test(tc, defaults_and_names);
    suite_add_tcase(s, tc);
    return s;
}
