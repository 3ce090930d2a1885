/* test_network.c — src/nn/network.c: a whole network (conv, layer norm,
 * affine) under CTC, its parameter and input gradients against central
 * finite differences, inference equal to training-mode logits, the
 * description round trip, residual connections, bad descriptions refused. */
#include <check.h>

#include "testgrad.h"

#include "base/error.h"
#include "nn/network.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A whole (smooth) network + CTC (testgrad.h). */
START_TEST(network_gradient_through_ctc)
{
    test_network_gradients("conv 4 3 1 1; layernorm; conv 5 3 1 2; affine out",
                           "conv 4 3 1 1\nlayernorm\nconv 5 3 1 2\naffine 3\n", 1e-2);
}
END_TEST

/* Residual connections: output = input + layer(input), and its gradient. */
START_TEST(residual_layers)
{
    test_network_gradients("conv 4 3 1 1; layernorm; conv 4 3 1 2 residual; layernorm residual; "
                           "affine 4 residual; affine out",
                           "conv 4 3 1 1\nlayernorm\nconv 4 3 1 2 residual\nlayernorm residual\n"
                           "affine 4 residual\naffine 3\n",
                           1e-2);
    /* The sum, exactly. */
    network a, b;
    ck_assert_int_eq(network_build(&a, "layernorm", 3, 3), 0);
    ck_assert_int_eq(network_build(&b, "layernorm residual", 3, 3), 0);
    float p[6], x[12];
    rng_state r;
    rng_seed(&r, 3);
    test_fill(&r, p, 6, -1, 1);
    test_fill(&r, x, 12, -1, 1);
    network_work wa, wb;
    network_work_init(&wa, &a);
    network_work_init(&wb, &b);
    int lens[1] = {4}, To, ol[1];
    const float *ya = network_forward(&a, p, &wa, x, lens, 1, 4, 0, NULL, &To, ol);
    const float *yb = network_forward(&b, p, &wb, x, lens, 1, 4, 0, NULL, &To, ol);
    for (int i = 0; i < 12; i++) ck_assert_float_eq(yb[i], x[i] + ya[i]);
    network_work_free(&wa, &a);
    network_work_free(&wb, &b);
    network_free(&a);
    network_free(&b);
    /* Only where the shapes match. */
    ck_assert_int_eq(network_build(&a, "conv 5 3 1 1 residual; affine out", 3, 3), -1);
    ck_assert_str_eq(asr_last_error(), "network line 1: 'residual' adds the layer's input to its "
                                       "output, which needs as many channels out as in and stride "
                                       "1 (here 3 in, 5 out, stride 1)");
    ck_assert_int_eq(network_build(&a, "conv 3 3 2 1 residual; affine out", 3, 3), -1);
    ck_assert_int_eq(network_build(&a, "residual; affine out", 3, 3), -1);
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
    ck_assert_str_eq(asr_last_error(), "network line 1: 'x' is not a number");
    ck_assert_int_eq(network_build(&n, "relu -1\naffine out", 3, 3), -1);
    ck_assert_str_eq(asr_last_error(),
                     "network line 1: expected 'relu [CEIL]' with CEIL > 0 (default 20)");
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
    tcase_add_test(tc, residual_layers);
    tcase_add_test(tc, bad_network_descriptions_are_named);
    tcase_add_test(tc, every_kind_describes_itself);
    suite_add_tcase(s, tc);
    return s;
}
