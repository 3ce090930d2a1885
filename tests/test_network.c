/* test_network.c — src/nn/network.c: a whole network (conv, layer norm,
 * affine) under CTC, its parameter and input gradients against central
 * finite differences, inference equal to training-mode logits, the
 * description round trip, bad descriptions refused. */
#include <check.h>

#include "testgrad.h"

#include "base/error.h"
#include "nn/ctc_loss.h"
#include "nn/network.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    test_fill(&r, nx, 2 * 9 * 3, -1, 1);
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
    test_fd_check(params, g, (int)net.num_params, net_loss, 1e-3, 1e-2);
    test_fd_check(nx, dxin, 9 * 3 + 6 * 3, net_loss, 1e-3, 1e-2);
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
    ck_assert_str_eq(asr_last_error(), "network line 1: expected 'conv OC K STRIDE DILATION' with "
                                       "OC in 1..16384 (or out), K in 1..64, STRIDE in 1..8, "
                                       "DILATION in 1..64");
    ck_assert_int_eq(network_build(&n, "conv 4 3 1 1\nsigmoid\naffine out", 3, 3), -1);
    /* The message lists every kind of the table. */
    char kinds[512];
    network_kinds(kinds, sizeof kinds);
    ck_assert_ptr_nonnull(strstr(kinds, "conv OC K STRIDE DILATION, affine OC|out, relu [CEIL]"));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "network line 2: unknown layer 'sigmoid' (conv, "
                                                   "affine, relu, layernorm, dropout"));
    ck_assert_int_eq(network_build(&n, "conv 4 3 1 1", 3, 3), -1);
    ck_assert_int_eq(network_build(&n, "dropout 1.5\naffine out", 3, 3), -1);
    ck_assert_int_eq(network_build(&n, "relu x\naffine out", 3, 3), -1);
    ck_assert_int_eq(network_build(&n, "layernorm 2\naffine out", 3, 3), -1);
    ck_assert_int_eq(network_build(&n, "affine 3 1 1 1 1 1 1 1 1", 3, 3), -1);
    ck_assert_str_eq(asr_last_error(), "network line 1: more than 8 words");
}
END_TEST

/* Every kind's canonical text builds the same network again, whose
 * parameters are where its description says. */
START_TEST(every_kind_describes_itself)
{
    const char *desc = "conv 8 5 2 3\nrelu 7.5\nlayernorm\ndropout 0.25\naffine 6\nrelu 20\n"
                       "dropout 0.100000001\naffine 3\n";
    network a, b;
    ck_assert_int_eq(network_build(&a,
                                   "conv 8 5 2 3; relu 7.5; layernorm; dropout 0.25; "
                                   "affine 6; relu; dropout; affine out",
                                   4, 3),
                     0);
    char *d = network_describe(&a);
    ck_assert_str_eq(d, desc);
    ck_assert_int_eq(network_build(&b, d, 4, 3), 0);
    ck_assert_int_eq(b.n, a.n);
    ck_assert_int_eq(a.subsampling, 2);
    ck_assert_int_eq(network_out_len(&a, 9), 5);
    /* conv: 8 x 5 x 4 + 8; layernorm: 2 x 8; affine: 6 x 8 + 6, 3 x 6 + 3 */
    ck_assert_uint_eq(a.num_params, 168 + 16 + 54 + 21);
    ck_assert_uint_eq(a.layers[2].w, 168);
    ck_assert_uint_eq(a.layers[4].w, 184);
    ck_assert_int_eq(network_last_param_layer(&a), 7);
    ck_assert_uint_eq(network_param_offset(&a, 3), 184);
    for (int i = 0; i < a.n; i++) {
        ck_assert_ptr_eq(a.layers[i].kind, b.layers[i].kind);
        ck_assert_uint_eq(a.layers[i].np, b.layers[i].np);
    }
    free(d);
    network_free(&a);
    network_free(&b);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("network");
    TCase *tc = tcase_create("network");
    tcase_add_test(tc, network_gradient_through_ctc);
    tcase_add_test(tc, bad_network_descriptions_are_named);
    tcase_add_test(tc, every_kind_describes_itself);
    suite_add_tcase(s, tc);
    return s;
}
