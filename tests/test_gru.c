/* test_gru.c — src/nn/gru.c: both directions against a plain loop over the
 * equations of gru.h, one utterance alone giving what it gives in a batch,
 * padding never read, backpropagation through time against central finite
 * differences (utterances of different lengths in one batch, not sorted),
 * the same numbers on any number of threads, and the gru and bigru network
 * layers under CTC (testgrad.h). */
#include <check.h>

#include "testgrad.h"

#include "base/error.h"
#include "nn/gru.h"
#include "nn/network.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum { B = 3, T = 6, C = 3, H = 4, G = 3 * H };
static const int lens[B] = {6, 3, 5};
static float x[B * T * C], p[3 * H * C + 3 * H * H + 6 * H], y[B * T * H], rr[B * T * H];
static float aux[B * T * 3 * H + B * 4 * H + B * T * H + (B * (T + 1) + 1) * H];
static gru_shape shape = {C, H, 0};

static double sigm(double v)
{
    return 1 / (1 + exp(-v));
}

/* The equations of gru.h, one utterance and one frame at a time, in double. */
static void reference(double *out, const float *in, int len, int reverse)
{
    const float *wih = p, *whh = p + G * C, *bih = whh + G * H, *bhh = bih + G;
    double h[H] = {0};
    for (int S = 0; S < len; S++) {
        int t = reverse ? len - 1 - S : S;
        double gx[G], gh[G], hn[H];
        for (int k = 0; k < G; k++) {
            gx[k] = bih[k], gh[k] = bhh[k];
            for (int c = 0; c < C; c++) gx[k] += wih[k * C + c] * in[t * C + c];
            for (int j = 0; j < H; j++) gh[k] += whh[k * H + j] * h[j];
        }
        for (int j = 0; j < H; j++) {
            double r = sigm(gx[j] + gh[j]), z = sigm(gx[H + j] + gh[H + j]);
            double n = tanh(gx[2 * H + j] + r * gh[2 * H + j]);
            hn[j] = (1 - z) * n + z * h[j];
        }
        memcpy(h, hn, sizeof h);
        memcpy(out + t * H, h, sizeof h);
    }
}

static void fill(uint64_t seed)
{
    rng_state r;
    rng_seed(&r, seed);
    test_fill(&r, x, sizeof x / sizeof x[0], -1, 1);
    test_fill(&r, p, sizeof p / sizeof p[0], -0.8, 0.8);
    test_fill(&r, rr, sizeof rr / sizeof rr[0], -1, 1);
    /* No gradient from frames beyond an utterance's end (the masked loss). */
    for (int b = 0; b < B; b++)
        for (int t = lens[b]; t < T; t++)
            for (int j = 0; j < H; j++) rr[(b * T + t) * H + j] = 0;
}

START_TEST(both_directions_follow_the_equations)
{
    fill(1);
    for (int reverse = 0; reverse < 2; reverse++) {
        shape.reverse = reverse;
        /* Poisoned padding must not reach any valid frame. */
        for (int b = 0; b < B; b++)
            for (int t = lens[b]; t < T; t++)
                for (int c = 0; c < C; c++) x[(b * T + t) * C + c] = 1e6f;
        gru_forward(y, H, aux, x, p, lens, B, T, &shape, reverse);
        for (int b = 0; b < B; b++) {
            double want[T * H];
            reference(want, x + b * T * C, lens[b], reverse);
            for (int i = 0; i < lens[b] * H; i++)
                ck_assert_double_eq_tol(y[b * T * H + i], want[i], 1e-5);
            for (int i = lens[b] * H; i < T * H; i++) ck_assert_float_eq(y[b * T * H + i], 0);
            /* Alone (a batch of one, no padding), the same numbers. */
            float one[T * H];
            gru_forward(one, H, aux, x + b * T * C, p, &lens[b], 1, lens[b], &shape, 0);
            for (int i = 0; i < lens[b] * H; i++)
                ck_assert_double_eq_tol(one[i], y[b * T * H + i], 1e-6);
        }
    }
}
END_TEST

static double layer_loss(void)
{
    gru_forward(y, H, aux, x, p, lens, B, T, &shape, 1);
    return test_dot(y, rr, B * T * H);
}

START_TEST(backpropagation_through_time)
{
    for (int reverse = 0; reverse < 2; reverse++) {
        fill(2 + reverse);
        shape.reverse = reverse;
        float dx[B * T * C] = {0}, dp[sizeof p / sizeof p[0]] = {0};
        float *scratch = malloc(gru_scratch_floats(B, T, H) * sizeof(float));
        layer_loss();
        gru_backward(dx, dp, rr, H, aux, x, p, lens, B, T, &shape, scratch);
        test_fd_check(p, dp, sizeof p / sizeof p[0], layer_loss, 1e-2, 1e-3);
        for (int b = 0; b < B; b++) {
            test_fd_check(x + b * T * C, dx + b * T * C, lens[b] * C, layer_loss, 1e-2, 1e-3);
            for (int i = lens[b] * C; i < T * C; i++) ck_assert_float_eq(dx[b * T * C + i], 0);
        }
        /* Without d inp, the same parameter gradients. */
        float dq[sizeof p / sizeof p[0]] = {0};
        layer_loss();
        gru_backward(NULL, dq, rr, H, aux, x, p, lens, B, T, &shape, scratch);
        ck_assert_mem_eq(dq, dp, sizeof dq);
        free(scratch);
    }
}
END_TEST

/* More utterances than one group of the recurrence (gru.c): the same bits
 * in inference on 1 and 2 threads and in training mode, and gradients that
 * do not depend on the thread count. */
START_TEST(groups_and_threads)
{
    enum { NB = 37, NT = 23 };
    static float bx[NB * NT * C], y1[NB * NT * H], y2[NB * NT * H], y3[NB * NT * H];
    static float dy[NB * NT * H], g1[sizeof p / sizeof p[0]], g2[sizeof p / sizeof p[0]];
    int bl[NB];
    rng_state r;
    rng_seed(&r, 5);
    for (int b = 0; b < NB; b++) bl[b] = 1 + (int)(rng_uniform(&r) * NT);
    test_fill(&r, bx, NB * NT * C, -1, 1);
    test_fill(&r, p, sizeof p / sizeof p[0], -0.8, 0.8);
    test_fill(&r, dy, NB * NT * H, -1, 1);
    for (int b = 0; b < NB; b++)
        for (int i = bl[b] * H; i < NT * H; i++) dy[b * NT * H + i] = 0;
    float *ax = malloc(gru_aux_floats(NB, NT, H, 1) * sizeof(float));
    float *sc = malloc(gru_scratch_floats(NB, NT, H) * sizeof(float));
    for (int reverse = 0; reverse < 2; reverse++) {
        gru_shape sh = {C, H, reverse};
        memset(g1, 0, sizeof g1);
        memset(g2, 0, sizeof g2);
#ifdef _OPENMP
        omp_set_num_threads(1);
#endif
        gru_forward(y1, H, ax, bx, p, bl, NB, NT, &sh, 0);
        gru_forward(y3, H, ax, bx, p, bl, NB, NT, &sh, 1);
        gru_backward(NULL, g1, dy, H, ax, bx, p, bl, NB, NT, &sh, sc);
#ifdef _OPENMP
        omp_set_num_threads(2);
#endif
        gru_forward(y2, H, ax, bx, p, bl, NB, NT, &sh, 0);
        ck_assert_mem_eq(y1, y2, sizeof y1);
        ck_assert_mem_eq(y1, y3, sizeof y1);
        gru_forward(y3, H, ax, bx, p, bl, NB, NT, &sh, 1);
        gru_backward(NULL, g2, dy, H, ax, bx, p, bl, NB, NT, &sh, sc);
        ck_assert_mem_eq(g1, g2, sizeof g1);
        /* Each utterance alone: the same numbers. */
        for (int b = 0; b < NB; b += 6) {
            gru_forward(y3, H, ax, bx + b * NT * C, p, &bl[b], 1, bl[b], &sh, 0);
            for (int i = 0; i < bl[b] * H; i++)
                ck_assert_double_eq_tol(y3[i], y1[b * NT * H + i], 1e-6);
        }
    }
    free(ax);
    free(sc);
}
END_TEST

/* The layers in a network under CTC: gradients of every parameter and
 * input, padding, inference = training (testgrad.h). */
START_TEST(gru_layers_in_a_network)
{
    test_network_gradients("gru 5; affine out", "gru 5\naffine 3\n", 1e-2);
    test_network_gradients("bigru 6; affine out", "bigru 6\naffine 3\n", 1e-2);
    test_network_gradients("conv 4 3 2 1; bigru 4; layernorm; gru 4 residual; affine out",
                           "conv 4 3 2 1\nbigru 4\nlayernorm\ngru 4 residual\naffine 3\n", 1e-2);
}
END_TEST

START_TEST(gru_descriptions)
{
    network n;
    ck_assert_int_eq(network_build(&n, "bigru 8; affine out", 5, 3), 0);
    /* two directions of 4 units over 5 inputs: 3*4*5 + 3*4*4 + 6*4 each */
    ck_assert_uint_eq(n.layers[0].np, 2 * (60 + 48 + 24));
    ck_assert_int_eq(n.layers[0].out, 8);
    ck_assert_int_eq(n.subsampling, 1);
    ck_assert_double_eq(network_flops(&n, 10), 2.0 * 10 * 3 * 8 * (5 + 4) + 2.0 * 10 * 8 * 3);
    network_free(&n);
    ck_assert_int_eq(network_build(&n, "bigru 7; affine out", 5, 3), -1);
    ck_assert_str_eq(asr_last_error(),
                     "network line 1: expected 'bigru N' with N even in 2..16384");
    ck_assert_int_eq(network_build(&n, "gru 0; affine out", 5, 3), -1);
    ck_assert_int_eq(network_build(&n, "gru; affine out", 5, 3), -1);
    ck_assert_int_eq(network_build(&n, "gru 4 4; affine out", 5, 3), -1);
    ck_assert_int_eq(network_build(&n, "gru 4 residual; affine out", 5, 3), -1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("gru");
    TCase *tc = tcase_create("gru");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, both_directions_follow_the_equations);
    tcase_add_test(tc, backpropagation_through_time);
    tcase_add_test(tc, groups_and_threads);
    tcase_add_test(tc, gru_layers_in_a_network);
    tcase_add_test(tc, gru_descriptions);
    suite_add_tcase(s, tc);
    return s;
}
