/* test_ctc_beam.c — prefix beam search against brute-force enumeration of
 * every alignment, greedy decoding by hand, and scorer influence. */
#include <check.h>

#include "decode/ctc_beam.h"
#include "decode/ctc_times.h"
#include "base/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Random log-softmax frames. */
static void random_logp(rng_state *r, float *lp, int T, int V, double sharp)
{
    for (int t = 0; t < T; t++) {
        double z[64], m = -1e30, s = 0;
        for (int v = 0; v < V; v++) {
            z[v] = sharp * rng_normal(r);
            if (z[v] > m) m = z[v];
        }
        for (int v = 0; v < V; v++) s += exp(z[v] - m);
        for (int v = 0; v < V; v++) lp[t * V + v] = (float)(z[v] - m - log(s));
    }
}

/* Encode a labeling (len ≤ T, symbols 1..V-1) as a base-V number with a length tag. */
static long code_of(const int *l, int n, int V)
{
    long c = n;
    for (int i = 0; i < n; i++) c = c * V + l[i];
    return c * 16 + n;
}

/* Brute force: P(labeling) = sum over all V^T alignments collapsing to it.
 * Returns the best labeling (in best[], length via *blen) and its probability. */
static double brute_best(const float *lp, int T, int V, int *best, int *blen)
{
    long total = 1;
    for (int t = 0; t < T; t++) total *= V;
    /* labelings are few: accumulate in a small table keyed by code */
    enum { MAXL = 8192 };
    static long codes[MAXL];
    static double probs[MAXL];
    static int labs[MAXL][8], lens[MAXL];
    int nl = 0;
    for (long a = 0; a < total; a++) {
        int align[8], l[8], n = 0, prev = 0;
        long x = a;
        double p = 1;
        for (int t = 0; t < T; t++) {
            align[t] = (int)(x % V);
            x /= V;
            p *= exp(lp[t * V + align[t]]);
        }
        for (int t = 0; t < T; t++) {
            if (align[t] != 0 && align[t] != prev) l[n++] = align[t];
            prev = align[t];
        }
        long c = code_of(l, n, V);
        int k;
        for (k = 0; k < nl && codes[k] != c; k++) continue;
        if (k == nl) {
            ck_assert_int_lt(nl, MAXL);
            codes[nl] = c;
            probs[nl] = 0;
            memcpy(labs[nl], l, sizeof l);
            lens[nl] = n;
            nl++;
        }
        probs[k] += p;
    }
    int b = 0;
    for (int k = 1; k < nl; k++)
        if (probs[k] > probs[b]) b = k;
    memcpy(best, labs[b], sizeof labs[b]);
    *blen = lens[b];
    return probs[b];
}

START_TEST(infinite_beam_equals_brute_force)
{
    rng_state r;
    rng_seed(&r, 7);
    for (int trial = 0; trial < 60; trial++) {
        int T = 2 + trial % 5, V = 3 + trial % 2; /* up to 6 frames, 4 symbols */
        float lp[64];
        random_logp(&r, lp, T, V, trial % 3 == 0 ? 3.0 : 1.0);
        int want[8], wlen, got[8];
        double pw = brute_best(lp, T, V, want, &wlen);
        ctc_beam_options opt = {.beam = 100000};
        float score;
        int glen = ctc_beam_search(lp, T, V, &opt, got, &score);
        ck_assert_int_eq(glen, wlen);
        for (int i = 0; i < wlen; i++) ck_assert_int_eq(got[i], want[i]);
        ck_assert_double_eq_tol(exp(score), pw, 1e-5 + 1e-4 * pw);
    }
}
END_TEST

START_TEST(greedy_collapses_repeats_and_drops_blanks)
{
    /* argmax per frame: 1 1 0 1 2 2 0 → labeling 1 1 2 */
    int path[] = {1, 1, 0, 1, 2, 2, 0};
    float lp[7 * 3];
    for (int t = 0; t < 7; t++)
        for (int v = 0; v < 3; v++) lp[t * 3 + v] = v == path[t] ? -0.1f : -3.0f;
    int out[7];
    int n = ctc_greedy(lp, 7, 3, out);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(out[0], 1);
    ck_assert_int_eq(out[1], 1);
    ck_assert_int_eq(out[2], 2);
    /* The beam search agrees on such a peaked input. */
    ctc_beam_options opt = {.beam = 8};
    int out2[7];
    ck_assert_int_eq(ctc_beam_search(lp, 7, 3, &opt, out2, NULL), 3);
    ck_assert_int_eq(memcmp(out, out2, 3 * sizeof(int)), 0);
}
END_TEST

/* Each symbol's first frame on the best path, from greedy and from the beam
 * search's back-pointers, and words (runs between separators) timed and
 * scored as ctc_times.h defines: start at the first symbol's first frame,
 * end after the last frame the last symbol stays above blank, confidence
 * the mean spike posterior. */
START_TEST(symbols_carry_their_first_frames_and_words_their_times)
{
    enum { T = 12, NV = 4 };
    /* argmax: - 1 1 - 3 2 2 - - 1 2 -  (3 separates words: "1 1" | "2 ... 1 2") */
    int path[T] = {0, 1, 1, 0, 3, 2, 2, 0, 0, 1, 2, 0};
    float lp[T * NV];
    for (int t = 0; t < T; t++)
        for (int v = 0; v < NV; v++) lp[t * NV + v] = logf(v == path[t] ? 0.91f : 0.03f);
    lp[10 * NV + 2] = logf(0.55f), lp[10 * NV + 0] = logf(0.39f); /* a weak last spike */
    int out[T], frames[T], gframes[T];
    int want_sym[] = {1, 3, 2, 1, 2}, want_frame[] = {1, 4, 5, 9, 10};
    int n = ctc_greedy_frames(lp, T, NV, out, gframes);
    ck_assert_int_eq(n, 5);
    ctc_beam_options opt = {.beam = 16, .frames = frames};
    ck_assert_int_eq(ctc_beam_search(lp, T, NV, &opt, out, NULL), 5);
    for (int k = 0; k < 5; k++) {
        ck_assert_int_eq(out[k], want_sym[k]);
        ck_assert_int_eq(frames[k], want_frame[k]);
        ck_assert_int_eq(gframes[k], want_frame[k]);
    }
    int first[T], end[T];
    ck_assert_int_eq(ctc_split_words(out, n, 3, first, end), 2);
    ctc_word w[2];
    ctc_word_times(lp, T, NV, out, frames, n, first, end, 2, w);
    ck_assert_double_eq(w[0].start, 1);
    ck_assert_double_eq(w[0].end, 3); /* symbol 1 holds frames 1-2 */
    ck_assert_double_eq(w[1].start, 5);
    ck_assert_double_eq(w[1].end, 11);
    ck_assert_float_eq_tol(w[0].conf, 0.91f, 1e-5f);
    ck_assert_float_eq_tol(w[1].conf, (0.91f + 0.91f + 0.55f) / 3, 1e-5f);
}
END_TEST

START_TEST(beam_sums_alignments_where_greedy_does_not)
{
    /* Two frames, V=2 (blank, a): p(blank)=0.6, p(a)=0.4 in each. Greedy path
     * is blank blank → empty (0.36); but "a" has a a, a _, _ a = 0.64. */
    float lp[4] = {logf(0.6f), logf(0.4f), logf(0.6f), logf(0.4f)};
    int out[2];
    ck_assert_int_eq(ctc_greedy(lp, 2, 2, out), 0);
    ctc_beam_options opt = {.beam = 4};
    float score;
    ck_assert_int_eq(ctc_beam_search(lp, 2, 2, &opt, out, &score), 1);
    ck_assert_int_eq(out[0], 1);
    ck_assert_double_eq_tol(expf(score), 0.64, 1e-6);
}
END_TEST

/* A bigram-like scorer: state = previous symbol; following 1 by 2 costs 10. */
static float penalise_12(void *ctx, int state, int sym, int *next)
{
    (void)ctx;
    *next = sym;
    return state == 1 && sym == 2 ? -10.0f : 0.0f;
}
static float finish_bonus(void *ctx, int state)
{
    (void)ctx;
    return state == 3 ? 1.0f : 0.0f;
}

START_TEST(scorer_changes_the_decision_with_its_state)
{
    /* Acoustically "1 2" (frames: 1, 2), with "1 3" a close second. */
    float lp[2 * 4];
    float f0[4] = {0.05f, 0.9f, 0.025f, 0.025f}, f1[4] = {0.05f, 0.025f, 0.5f, 0.425f};
    for (int v = 0; v < 4; v++) {
        lp[v] = logf(f0[v]);
        lp[4 + v] = logf(f1[v]);
    }
    int out[2];
    ctc_beam_options opt = {.beam = 16};
    ck_assert_int_eq(ctc_beam_search(lp, 2, 4, &opt, out, NULL), 2);
    ck_assert_int_eq(out[1], 2);
    ctc_scorer sc = {.extend = penalise_12, .initial_state = 0};
    opt.lm = &sc;
    ck_assert_int_eq(ctc_beam_search(lp, 2, 4, &opt, out, NULL), 2);
    ck_assert_int_eq(out[0], 1);
    ck_assert_int_eq(out[1], 3);
    /* A finish score alone can also decide: equal acoustics 2 vs 3. */
    float g[4] = {0.1f, 0.0f, 0.45f, 0.45f};
    for (int v = 0; v < 4; v++) lp[v] = g[v] > 0 ? logf(g[v]) : -INFINITY;
    ctc_scorer fin = {.extend = penalise_12, .finish = finish_bonus};
    opt.lm = &fin;
    ck_assert_int_eq(ctc_beam_search(lp, 1, 4, &opt, out, NULL), 1);
    ck_assert_int_eq(out[0], 3);
}
END_TEST

START_TEST(empty_input_decodes_to_nothing)
{
    int out[1];
    ctc_beam_options opt = {.beam = 4};
    ck_assert_int_eq(ctc_beam_search(NULL, 0, 5, &opt, out, NULL), 0);
    ck_assert_int_eq(ctc_greedy(NULL, 0, 5, out), 0);
}
END_TEST

START_TEST(long_input_small_beam_is_stable)
{
    /* 2000 frames, 30 symbols: exercises trie and map growth. */
    rng_state r;
    rng_seed(&r, 3);
    int T = 2000, V = 30;
    float *lp = malloc(sizeof(float) * T * V);
    random_logp(&r, lp, T, V, 4.0);
    int *out = malloc(sizeof(int) * T), *out2 = malloc(sizeof(int) * T);
    ctc_beam_options opt = {.beam = 16, .prune = 8.0f};
    float s1, s2;
    int n1 = ctc_beam_search(lp, T, V, &opt, out, &s1);
    int n2 = ctc_beam_search(lp, T, V, &opt, out2, &s2);
    ck_assert_int_eq(n1, n2);
    ck_assert_int_eq(memcmp(out, out2, sizeof(int) * n1), 0);
    ck_assert(isfinite(s1) && s1 == s2);
    /* Beam search never scores below the greedy labeling's best path. */
    int ng = ctc_greedy(lp, T, V, out2);
    ck_assert_int_gt(ng, 0);
    double path = 0;
    for (int t = 0; t < T; t++) {
        float m = lp[t * V];
        for (int v = 1; v < V; v++)
            if (lp[t * V + v] > m) m = lp[t * V + v];
        path += m;
    }
    ck_assert(s1 >= path - 1e-2);
    free(lp);
    free(out);
    free(out2);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("ctc_beam");
    TCase *tc = tcase_create("ctc_beam");
    tcase_add_test(tc, infinite_beam_equals_brute_force);
    tcase_add_test(tc, greedy_collapses_repeats_and_drops_blanks);
    tcase_add_test(tc, beam_sums_alignments_where_greedy_does_not);
    tcase_add_test(tc, symbols_carry_their_first_frames_and_words_their_times);
    tcase_add_test(tc, scorer_changes_the_decision_with_its_state);
    tcase_add_test(tc, empty_input_decodes_to_nothing);
    tcase_add_test(tc, long_input_small_beam_is_stable);
    suite_add_tcase(s, tc);
    return s;
}
