/* test_nn_ctc.c — CTC greedy decoding. */
#include <check.h>

#include "nn/ctc_decode.h"

START_TEST(greedy_collapses_repeats_and_drops_blanks)
{
    /* Frame arg-maxes: 1 1 0 1 2 2 0 0 3 -> "1 1 2 3". */
    const int path[] = {1, 1, 0, 1, 2, 2, 0, 0, 3};
    enum { T = 9, V = 4 };
    float logits[T * V];
    for (int t = 0; t < T; t++)
        for (int v = 0; v < V; v++) logits[t * V + v] = v == path[t] ? 1.0f : -(float)v;
    int out[T];
    int n = ctc_greedy_decode(out, logits, T, V);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(out[0], 1);
    ck_assert_int_eq(out[1], 1);
    ck_assert_int_eq(out[2], 2);
    ck_assert_int_eq(out[3], 3);
    ck_assert_int_eq(ctc_greedy_decode(out, logits, 0, V), 0);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("nn_ctc");
    TCase *tc = tcase_create("ctc");
    tcase_add_test(tc, greedy_collapses_repeats_and_drops_blanks);
    suite_add_tcase(s, tc);
    return s;
}
