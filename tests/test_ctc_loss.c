/* test_ctc_loss.c — src/nn/ctc_loss.c: the CTC loss against brute-force
 * enumeration of every alignment, stable on long confident inputs, its
 * gradient against central finite differences. */
#include <check.h>

#include "testgrad.h"

#include "nn/ctc_loss.h"
#include "nn/softmax.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* P(labels | x) by enumerating all V^T paths, collapsing repeats, dropping
 * blanks and summing the paths that give LABELS. */
static double brute_force_prob(const float *logits, int T, int V, const int *labels, int L)
{
    float logp[64];
    log_softmax_forward(logp, logits, T, V);
    int path[16] = {0};
    double total = 0;
    for (;;) {
        int out[16], n = 0, prev = -1;
        for (int t = 0; t < T; t++) {
            if (path[t] != prev && path[t] != 0) out[n++] = path[t];
            prev = path[t];
        }
        if (n == L && !memcmp(out, labels, sizeof(int) * (size_t)L)) {
            double lp = 0;
            for (int t = 0; t < T; t++) lp += logp[t * V + path[t]];
            total += exp(lp);
        }
        int t = 0;
        while (t < T && ++path[t] == V) path[t++] = 0;
        if (t == T) break;
    }
    return total;
}

START_TEST(ctc_equals_brute_force_enumeration)
{
    rng_state r;
    rng_seed(&r, 11);
    struct {
        int T, V, L, labels[4];
    } cases[] = {
        {5, 3, 2, {1, 2}},                    /* distinct labels */
        {5, 3, 2, {1, 1}},                    /* a repeat needs a blank between */
        {4, 4, 3, {3, 1, 3}}, {6, 3, 0, {0}}, /* empty labelling: all blanks */
        {3, 3, 2, {2, 2}},                    /* exactly the minimum length */
        {6, 4, 3, {1, 2, 3}},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        float logits[64];
        int T = cases[k].T, V = cases[k].V;
        test_fill(&r, logits, (size_t)(T * V), -2, 2);
        double want = brute_force_prob(logits, T, V, cases[k].labels, cases[k].L);
        double loss = ctc_loss(logits, T, V, cases[k].labels, cases[k].L, NULL, 1);
        ck_assert_msg(fabs(exp(-loss) - want) < 1e-6 * want + 1e-12, "case %zu: %g vs %g", k,
                      exp(-loss), want);
    }
    /* Two equal labels in 1 frame: impossible. */
    float lg[3] = {0};
    int two[2] = {1, 1};
    ck_assert(isinf(ctc_loss(lg, 1, 3, two, 2, NULL, 1)));
    ck_assert_int_eq(ctc_min_frames(two, 2), 3);
}
END_TEST

START_TEST(ctc_is_stable_for_long_confident_inputs)
{
    /* 2000 frames with logits of +-60: probabilities far below DBL_MIN per
     * path, yet the loss is finite and the gradient rows sum to zero. */
    enum { T = 2000, V = 5 };
    float *lg = malloc(sizeof(float) * T * V), *g = malloc(sizeof(float) * T * V);
    rng_state r;
    rng_seed(&r, 3);
    for (int i = 0; i < T * V; i++) lg[i] = (float)(120 * rng_uniform(&r) - 60);
    int labels[50];
    for (int i = 0; i < 50; i++) labels[i] = 1 + i % 4;
    double loss = ctc_loss(lg, T, V, labels, 50, g, 1);
    ck_assert(isfinite(loss) && loss > 0);
    for (int t = 0; t < T; t++) {
        double s = 0;
        for (int v = 0; v < V; v++) s += g[t * V + v];
        ck_assert_double_eq_tol(s, 0, 1e-4);
    }
    free(lg);
    free(g);
}
END_TEST

START_TEST(ctc_gradient_matches_finite_differences)
{
    enum { T = 6, V = 4 };
    rng_state r;
    rng_seed(&r, 5);
    float lg[T * V], g[T * V];
    test_fill(&r, lg, T * V, -1, 1);
    int labels[] = {1, 3, 3};
    ctc_loss(lg, T, V, labels, 3, g, 1);
    const float e = 1e-2f;
    for (int i = 0; i < T * V; i++) {
        float keep = lg[i];
        lg[i] = keep + e;
        double lp = ctc_loss(lg, T, V, labels, 3, NULL, 1);
        lg[i] = keep - e;
        double lm = ctc_loss(lg, T, V, labels, 3, NULL, 1);
        lg[i] = keep;
        test_check_close(g[i], (lp - lm) / (2 * e), 2e-3, 2e-4, i);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("ctc_loss");
    TCase *tc = tcase_create("ctc_loss");
    tcase_add_test(tc, ctc_equals_brute_force_enumeration);
    tcase_add_test(tc, ctc_is_stable_for_long_confident_inputs);
    tcase_add_test(tc, ctc_gradient_matches_finite_differences);
    suite_add_tcase(s, tc);
    return s;
}
