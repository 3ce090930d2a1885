/* test_nn_ctc.c — CTC against brute-force enumeration of every alignment;
 * gradients of CTC, conv1d, layer norm, dropout and a whole network against
 * central finite differences. */
#include <check.h>

#include "nn/conv1d.h"
#include "nn/ctc_loss.h"
#include "nn/dropout.h"
#include "nn/layernorm.h"
#include "nn/network.h"
#include "nn/softmax.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void fill(rng_state *r, float *x, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++) x[i] = (float)(lo + (hi - lo) * rng_uniform(r));
}

static void check_close(double analytic, double numeric, double rel, double abs_tol, int i)
{
    ck_assert_msg(fabs(analytic - numeric) <= abs_tol + rel * fabs(numeric),
                  "element %d: analytic %.6g vs numeric %.6g", i, analytic, numeric);
}

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
        fill(&r, logits, (size_t)(T * V), -2, 2);
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
    fill(&r, lg, T * V, -1, 1);
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
        check_close(g[i], (lp - lm) / (2 * e), 2e-3, 2e-4, i);
    }
}
END_TEST

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

START_TEST(conv1d_gradients_and_padding)
{
    rng_state r;
    rng_seed(&r, 7);
    fill(&r, x, B * T * C, -1, 1);
    fill(&r, w, OC * K * C, -1, 1);
    fill(&r, bias, OC, -1, 1);
    int To = conv1d_out_len(&shape, T);
    ck_assert_int_eq(To, 4);
    fill(&r, rr, (size_t)(B * To * OC), -1, 1);
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
    fd(w, dw, OC * K * C, conv_loss, 1e-2, 1e-3);
    fd(bias, db, OC, conv_loss, 1e-2, 1e-3);
    fd(x, dx, T * C + 4 * C, conv_loss, 1e-2, 1e-3); /* the valid input frames */
    for (int t = 4; t < T; t++) ck_assert_float_eq(dx[(T + t) * C], 0);
}
END_TEST

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

/* A whole (smooth) network + CTC: d loss / d params and d loss / d input
 * against finite differences through network_forward and network_backward. */
static network net;
static float *params, *nx;
static int nlens[2] = {9, 6};
static network_work nw;
static const int targets[2][2] = {{1, 2}, {2, 2}};

static double net_loss(void)
{
    int To, olens[2];
    const float *lg = network_forward(&net, params, &nw, nx, nlens, 2, 9, 0, NULL, &To, olens);
    double s = 0;
    for (int b = 0; b < 2; b++) s += ctc_loss(lg + b * To * 3, olens[b], 3, targets[b], 2, NULL, 1);
    return s;
}

START_TEST(network_gradient_through_ctc)
{
    ck_assert_int_eq(network_build(&net, "conv 4 3 1 1; layernorm; conv 5 3 1 2; affine out", 3, 3),
                     0);
    params = malloc(sizeof(float) * net.num_params);
    network_init(&net, params, 4);
    rng_state r;
    rng_seed(&r, 2);
    for (size_t i = 0; i < net.num_params; i++) params[i] += (float)(0.1 * rng_normal(&r));
    nx = malloc(sizeof(float) * 2 * 9 * 3);
    fill(&r, nx, 2 * 9 * 3, -1, 1);
    network_work_init(&nw, &net);
    int To, olens[2];
    /* Inference (two ping-pong buffers) gives exactly the training-mode logits. */
    network_work iw;
    network_work_init(&iw, &net);
    const float *li = network_forward(&net, params, &iw, nx, nlens, 2, 9, 0, NULL, &To, olens);
    const float *lg = network_forward(&net, params, &nw, nx, nlens, 2, 9, 1, NULL, &To, olens);
    ck_assert_mem_eq(li, lg, sizeof(float) * 2 * (size_t)To * 3);
    network_work_free(&iw, &net);
    float dl[2 * 9 * 3] = {0};
    for (int b = 0; b < 2; b++)
        ctc_loss(lg + b * To * 3, olens[b], 3, targets[b], 2, dl + b * To * 3, 1);
    float *g = calloc(net.num_params, sizeof(float)), dxin[2 * 9 * 3];
    network_backward(&net, params, g, &nw, dl, dxin);
    fd(params, g, (int)net.num_params, net_loss, 1e-3, 1e-2);
    fd(nx, dxin, 9 * 3 + 6 * 3, net_loss, 1e-3, 1e-2);
    /* Description round trip. */
    char *d = network_describe(&net);
    ck_assert_str_eq(d, "conv 4 3 1 1\nlayernorm\nconv 5 3 1 2\naffine 3\n");
    free(d);
    network_work_free(&nw, &net);
    network_free(&net);
    free(params);
    free(nx);
    free(g);
}
END_TEST

START_TEST(bad_network_descriptions_are_named)
{
    network n;
    ck_assert_int_eq(network_build(&n, "conv 4 3 1\naffine out", 3, 3), -1);
    ck_assert_int_eq(network_build(&n, "conv 4 3 1 1\nsigmoid\naffine out", 3, 3), -1);
    ck_assert_int_eq(network_build(&n, "conv 4 3 1 1", 3, 3), -1);
    ck_assert_int_eq(network_build(&n, "dropout 1.5\naffine out", 3, 3), -1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("nn_ctc");
    TCase *tc = tcase_create("nn_ctc");
    tcase_add_test(tc, ctc_equals_brute_force_enumeration);
    tcase_add_test(tc, ctc_is_stable_for_long_confident_inputs);
    tcase_add_test(tc, ctc_gradient_matches_finite_differences);
    tcase_add_test(tc, conv1d_gradients_and_padding);
    tcase_add_test(tc, layernorm_gradients);
    tcase_add_test(tc, dropout_keeps_expectation_and_routes_gradient);
    tcase_add_test(tc, network_gradient_through_ctc);
    tcase_add_test(tc, bad_network_descriptions_are_named);
    suite_add_tcase(s, tc);
    return s;
}
