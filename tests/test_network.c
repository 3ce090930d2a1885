/* test_network.c — src/nn/network.c: a whole network (conv, layer norm,
 * affine) under CTC, its parameter and input gradients against central
 * finite differences, inference equal to training-mode logits, the
 * description round trip, bad descriptions refused. */
#include <check.h>

#include "testgrad.h"

#include "nn/ctc_loss.h"
#include "nn/network.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>

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
    ck_assert_int_eq(network_build(&n, "conv 4 3 1 1\nsigmoid\naffine out", 3, 3), -1);
    ck_assert_int_eq(network_build(&n, "conv 4 3 1 1", 3, 3), -1);
    ck_assert_int_eq(network_build(&n, "dropout 1.5\naffine out", 3, 3), -1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("network");
    TCase *tc = tcase_create("network");
    tcase_add_test(tc, network_gradient_through_ctc);
    tcase_add_test(tc, bad_network_descriptions_are_named);
    suite_add_tcase(s, tc);
    return s;
}
