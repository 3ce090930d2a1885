/* test_calibrate.c — src/recognizer/calibrate.c's Platt fit: it recovers
 * the parameters of words drawn from a known calibration (with a system's
 * members' agreement as a third feature too), and on a small
 * set where plain Newton steps run off (a = 29,148: the likelihood a
 * million times worse than at the start) it stays at the optimum. */
#include <check.h>

#include "base/rng.h"
#include "recognizer/calibrate.h"

#include <math.h>
#include <stdlib.h>

static double logit(double c)
{
    return log(c / (1 - c));
}

/* The penalised negative log-likelihood the fit minimises. */
static double nll(int n, const float *conf, const float *gap, const int *right, const double th[3])
{
    double s = 0;
    for (int i = 0; i < n; i++) {
        double c = conf[i] < 1e-4f ? 1e-4 : conf[i] > 1 - 1e-4f ? 1 - 1e-4 : conf[i];
        double z = th[0] * logit(c) + th[1] * gap[i] + th[2];
        s += log1p(exp(-fabs(z))) + (z > 0 ? z : 0) - right[i] * z;
    }
    return s + 0.5e-3 * (th[0] * th[0] + th[1] * th[1] + th[2] * th[2]);
}

/* N words drawn by SEED: a raw confidence, a gap (0 for 70% of them), an
 * agreement of 1, 2 or 3 thirds (AGREE NULL: none), and right with the
 * probability sigmoid(W[0] logit(c) + W[1] gap + W[2] agree + W[3]). */
static void draw(int n, uint64_t seed, const double w[4], float *conf, float *gap, float *agree,
                 int *right)
{
    rng_state r;
    rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        conf[i] = (float)(0.02 + 0.96 * rng_uniform(&r));
        gap[i] = rng_uniform(&r) < 0.3 ? (float)(3 * rng_uniform(&r)) : 0;
        if (agree) agree[i] = (float)(1 + (int)(3 * rng_uniform(&r))) / 3.0f;
        double z = w[0] * logit(conf[i]) + w[1] * gap[i] + w[2] * (agree ? agree[i] : 0) + w[3];
        right[i] = rng_uniform(&r) < 1 / (1 + exp(-z));
    }
}

START_TEST(known_parameters_are_recovered)
{
    enum { N = 4000 };
    static float conf[N], gap[N];
    static int right[N];
    draw(N, 21, (const double[4]){0.7, -0.8, 0, 0.4}, conf, gap, NULL, right);
    double th[CALIBRATE_PARAMS];
    calibrate_platt(N, conf, gap, NULL, right, th);
    ck_assert_msg(th[2] == 0, "agreement weight %g without agreement", th[2]);
    th[2] = th[3]; /* the bias, where nll() reads it */
    ck_assert_msg(fabs(th[0] - 0.7) < 0.15 && fabs(th[1] + 0.8) < 0.2 && fabs(th[2] - 0.4) < 0.2,
                  "fitted %g %g %g, drawn from 0.7 -0.8 0.4", th[0], th[1], th[2]);
}
END_TEST

/* A system's words: the members' agreement (thirds, as of three members)
 * is a third feature, and its weight is recovered with the others'. */
START_TEST(the_agreement_weight_is_recovered)
{
    enum { N = 6000 };
    static float conf[N], gap[N], agree[N];
    static int right[N];
    draw(N, 22, (const double[4]){0.4, -0.3, 2.5, -1.5}, conf, gap, agree, right);
    double th[CALIBRATE_PARAMS];
    calibrate_platt(N, conf, gap, agree, right, th);
    ck_assert_msg(fabs(th[0] - 0.4) < 0.15 && fabs(th[1] + 0.3) < 0.2 && fabs(th[2] - 2.5) < 0.5 &&
                      fabs(th[3] + 1.5) < 0.4,
                  "fitted %g %g %g %g, drawn from 0.4 -0.3 2.5 -1.5", th[0], th[1], th[2], th[3]);
}
END_TEST

START_TEST(newton_does_not_run_off)
{
    const float conf[] = {0.777f, 0.9999f, 0.9999f, 0.9999f, 0.9999f,
                          0.172f, 0.567f,  0.123f,  0.9999f};
    const float gap[] = {0, 0, 0, 0, 0, 0, 1.82f, 0, 0.22f};
    const int right[] = {1, 0, 1, 1, 0, 1, 1, 1, 1};
    double th[CALIBRATE_PARAMS], start[3] = {1, 0, 0};
    calibrate_platt(9, conf, gap, NULL, right, th);
    th[2] = th[3]; /* the bias, where nll() reads it */
    double f = nll(9, conf, gap, right, th), f0 = nll(9, conf, gap, right, start);
    ck_assert_msg(isfinite(f) && f <= f0, "likelihood %g, at the start %g", f, f0);
    ck_assert_msg(fabs(th[0]) < 100 && fabs(th[1]) < 100 && fabs(th[2]) < 100, "ran off: %g %g %g",
                  th[0], th[1], th[2]);
    /* At the optimum: no small move improves it. */
    for (int k = 0; k < 3; k++)
        for (int s = -1; s <= 1; s += 2) {
            double t[3] = {th[0], th[1], th[2]};
            t[k] += s * 1e-3;
            ck_assert_msg(nll(9, conf, gap, right, t) >= f - 1e-9, "not at the optimum along %d",
                          k);
        }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("calibrate");
    TCase *tc = tcase_create("calibrate");
    tcase_add_test(tc, known_parameters_are_recovered);
    tcase_add_test(tc, the_agreement_weight_is_recovered);
    tcase_add_test(tc, newton_does_not_run_off);
    suite_add_tcase(s, tc);
    return s;
}
