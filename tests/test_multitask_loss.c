/* test_multitask_loss.c — src/nn/multitask_loss.c: the masked multi-task
 * loss is the weighted sum of separate per-head losses (CTC and CE), a
 * masked head has exactly zero gradient on its columns, one head is plain
 * CTC bit for bit, finite differences over the whole output row, labels
 * that do not fit make the utterance unusable, and the head table's
 * checks. */
#include <check.h>

#include "testgrad.h"

#include "base/error.h"
#include "nn/ce_loss.h"
#include "nn/ctc_loss.h"
#include "nn/multitask_loss.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Three heads and one column of no head: CTC over 0..3 (weight 1), CE over
 * 4..6 (weight 0.3), column 7 unused, CTC over 8..11 (weight 2). */
enum { T = 6, V = 12 };
static const mt_head heads[3] = {
    {"a", 0, 4, MT_CTC, 1.0f}, {"b", 4, 3, MT_CE, 0.3f}, {"c", 8, 4, MT_CTC, 2.0f}};
static const int la[] = {1, 3, 3}, lb[T] = {0, 2, -1, 1, 1, 0}, lc[] = {2, 1};
static const int lens[3] = {3, T, 2};

static void slice(const float *lg, int off, int w, float *out)
{
    for (int t = 0; t < T; t++) memcpy(out + t * w, lg + t * V + off, sizeof(float) * (size_t)w);
}

START_TEST(multitask_is_the_weighted_sum_of_separate_losses)
{
    rng_state r;
    rng_seed(&r, 8);
    float lg[T * V], g[T * V];
    test_fill(&r, lg, T * V, -2, 2);
    const int *labels[3] = {la, lb, lc};
    double hl[3];
    double loss = multitask_loss(heads, 3, lg, T, V, labels, lens, g, 0.25f, hl);
    /* Each head alone on its own columns. */
    float sa[T * 4], sb[T * 3], sc[T * 4], ga[T * 4], gb[T * 3], gc[T * 4];
    slice(lg, 0, 4, sa);
    slice(lg, 4, 3, sb);
    slice(lg, 8, 4, sc);
    double a = ctc_loss(sa, T, 4, la, 3, ga, 0.25f * 1.0f);
    double b = ce_loss(sb, T, 3, lb, gb, 0.25f * 0.3f);
    double c = ctc_loss(sc, T, 4, lc, 2, gc, 0.25f * 2.0f);
    ck_assert(isfinite(a) && isfinite(b) && isfinite(c));
    ck_assert_double_eq(hl[0], a);
    ck_assert_double_eq(hl[1], b);
    ck_assert_double_eq(hl[2], c);
    ck_assert_double_eq_tol(loss, a + (double)0.3f * b + 2 * c, 1e-12 * loss);
    for (int t = 0; t < T; t++) {
        for (int v = 0; v < 4; v++) ck_assert_float_eq(g[t * V + v], ga[t * 4 + v]);
        for (int v = 0; v < 3; v++) ck_assert_float_eq(g[t * V + 4 + v], gb[t * 3 + v]);
        ck_assert_float_eq(g[t * V + 7], 0.0f); /* no head: no gradient */
        for (int v = 0; v < 4; v++) ck_assert_float_eq(g[t * V + 8 + v], gc[t * 4 + v]);
    }
}
END_TEST

START_TEST(a_masked_head_has_exactly_zero_gradient)
{
    rng_state r;
    rng_seed(&r, 9);
    float lg[T * V], g[T * V], full[T * V];
    test_fill(&r, lg, T * V, -2, 2);
    const int *all[3] = {la, lb, lc};
    double hl_all[3], hl[3];
    multitask_loss(heads, 3, lg, T, V, all, lens, full, 1, hl_all);
    /* Head a has no label for this utterance. Poisoned length: never read. */
    const int *masked[3] = {NULL, lb, lc};
    int mlens[3] = {-99, T, 2};
    double loss = multitask_loss(heads, 3, lg, T, V, masked, mlens, g, 1, hl);
    ck_assert_double_eq(hl[0], 0);
    ck_assert_double_eq_tol(loss, (double)0.3f * hl_all[1] + 2 * hl_all[2], 1e-12 * loss);
    for (int t = 0; t < T; t++) {
        for (int v = 0; v < 4; v++) ck_assert_msg(g[t * V + v] == 0.0f, "frame %d col %d", t, v);
        /* The other heads are exactly what they were with head a present. */
        for (int v = 4; v < V; v++) ck_assert_float_eq(g[t * V + v], full[t * V + v]);
    }
    /* Every head masked: nothing at all. */
    const int *none[3] = {NULL, NULL, NULL};
    ck_assert_double_eq(multitask_loss(heads, 3, lg, T, V, none, mlens, g, 1, NULL), 0);
    for (int i = 0; i < T * V; i++) ck_assert_float_eq(g[i], 0.0f);
    /* Weight 0 masks a head for every utterance. */
    mt_head zero[3] = {heads[0], heads[1], heads[2]};
    zero[2].weight = 0;
    multitask_loss(zero, 3, lg, T, V, all, lens, g, 1, hl);
    ck_assert_double_eq(hl[2], 0);
    for (int t = 0; t < T; t++)
        for (int v = 8; v < V; v++) ck_assert_float_eq(g[t * V + v], 0.0f);
}
END_TEST

START_TEST(one_head_is_plain_ctc_bit_for_bit)
{
    enum { T1 = 9, V1 = 5 };
    rng_state r;
    rng_seed(&r, 10);
    float lg[T1 * V1], g1[T1 * V1], g2[T1 * V1];
    test_fill(&r, lg, T1 * V1, -3, 3);
    int labels[] = {4, 1, 1, 2};
    mt_head one = multitask_single(V1);
    ck_assert_int_eq(multitask_check(&one, 1, V1), 0);
    const int *lab[1] = {labels};
    int len[1] = {4};
    double a = ctc_loss(lg, T1, V1, labels, 4, g1, 1.0f / 3);
    double b = multitask_loss(&one, 1, lg, T1, V1, lab, len, g2, 1.0f / 3, NULL);
    ck_assert(a == b);
    ck_assert_mem_eq(g1, g2, sizeof g1);
}
END_TEST

static float fd_lg[T * V];
static double row_loss(const int *const *labels)
{
    return multitask_loss(heads, 3, fd_lg, T, V, labels, lens, NULL, 1, NULL);
}

START_TEST(multitask_gradient_matches_finite_differences)
{
    rng_state r;
    rng_seed(&r, 12);
    test_fill(&r, fd_lg, T * V, -1, 1);
    const int *present[3] = {la, lb, lc}, *masked[3] = {la, NULL, lc};
    for (int k = 0; k < 2; k++) {
        const int *const *labels = k ? masked : present;
        float g[T * V];
        multitask_loss(heads, 3, fd_lg, T, V, labels, lens, g, 1, NULL);
        const float e = 1e-2f;
        for (int i = 0; i < T * V; i++) {
            float keep = fd_lg[i];
            fd_lg[i] = keep + e;
            double lp = row_loss(labels);
            fd_lg[i] = keep - e;
            double lm = row_loss(labels);
            fd_lg[i] = keep;
            test_check_close(g[i], (lp - lm) / (2 * e), 2e-3, 3e-4, i);
        }
    }
}
END_TEST

START_TEST(labels_that_do_not_fit_make_the_utterance_unusable)
{
    rng_state r;
    rng_seed(&r, 13);
    float lg[T * V], g[T * V];
    test_fill(&r, lg, T * V, -1, 1);
    /* Head c: 7 labels with 3 repeats need 10 frames; there are 6. */
    const int many[] = {1, 1, 2, 2, 3, 3, 1};
    const int *labels[3] = {la, lb, many};
    int l[3] = {3, T, 7};
    double hl[3];
    ck_assert(isinf(multitask_loss(heads, 3, lg, T, V, labels, l, g, 1, hl)));
    ck_assert(isfinite(hl[0]) && isinf(hl[2]));
    for (int i = 0; i < T * V; i++) ck_assert_float_eq(g[i], 0.0f);
    /* A CE head needs one label per frame. */
    int l2[3] = {3, T - 1, 2};
    const int *labels2[3] = {la, lb, lc};
    ck_assert(isinf(multitask_loss(heads, 3, lg, T, V, labels2, l2, g, 1, hl)));
    ck_assert(isinf(hl[1]));
    /* Masking the head that does not fit makes the utterance usable again. */
    const int *labels3[3] = {la, lb, NULL};
    ck_assert(isfinite(multitask_loss(heads, 3, lg, T, V, labels3, l, g, 1, NULL)));
}
END_TEST

START_TEST(bad_head_tables_are_named)
{
    ck_assert_int_eq(multitask_check(heads, 3, V), 0);
    ck_assert_int_eq(multitask_check(heads, 3, V - 1), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "head c"));
    mt_head h[2] = {{"p", 0, 5, MT_CTC, 1}, {"q", 4, 3, MT_CTC, 1}};
    ck_assert_int_eq(multitask_check(h, 2, 10), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "heads p and q"));
    h[1].offset = 5;
    ck_assert_int_eq(multitask_check(h, 2, 10), 0);
    h[1].weight = -1;
    ck_assert_int_eq(multitask_check(h, 2, 10), -1);
    h[1].weight = 1;
    h[1].width = 1; /* a CTC head needs a blank and a symbol */
    ck_assert_int_eq(multitask_check(h, 2, 10), -1);
    ck_assert_int_eq(multitask_check(h, 0, 10), -1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("multitask_loss");
    TCase *tc = tcase_create("multitask_loss");
    tcase_add_test(tc, multitask_is_the_weighted_sum_of_separate_losses);
    tcase_add_test(tc, a_masked_head_has_exactly_zero_gradient);
    tcase_add_test(tc, one_head_is_plain_ctc_bit_for_bit);
    tcase_add_test(tc, multitask_gradient_matches_finite_differences);
    tcase_add_test(tc, labels_that_do_not_fit_make_the_utterance_unusable);
    tcase_add_test(tc, bad_head_tables_are_named);
    suite_add_tcase(s, tc);
    return s;
}
