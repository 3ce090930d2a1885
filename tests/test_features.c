/* test_features.c — src/signal/features.c against its definitions: tones
 * land in the right mel filter, the DCT equals the direct sum, deltas of a
 * ramp are its slope, CMVN normalises, frame counts are exact, the
 * configuration text round-trips and bad values are named, dither is
 * reproducible from the seed. */
#include <check.h>

#include "base/error.h"
#include "recognizer/options.h"
#include "signal/features.h"
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* For tones across the band (8 kHz and 16 kHz audio, default mel range up to
 * Nyquist), the loudest filterbank channel is the filter whose centre is
 * nearest the tone's frequency on the mel scale. */
START_TEST(a_pure_tone_peaks_in_the_nearest_mel_filter)
{
    const int rates[] = {8000, 16000};
    for (int r = 0; r < 2; r++) {
        features_config c;
        features_config_default(&c);
        c.kind = FEATURES_FBANK;
        c.rate = rates[r];
        c.num_mel = 40;
        features_extractor *fx = features_create(&c);
        ck_assert_ptr_nonnull(fx);
        for (double f = 150; f < c.rate / 2.0 - 300; f *= 1.37) {
            float *x = test_sine(f, 0.5, (size_t)c.rate / 4, c.rate);
            float *y;
            int T;
            ck_assert_int_eq(features_compute(fx, x, (size_t)c.rate / 4, 0, &y, &T), 0);
            ck_assert_int_eq(T, 23);
            int best = 0;
            for (int m = 1; m < c.num_mel; m++)
                if (y[10 * c.num_mel + m] > y[10 * c.num_mel + best]) best = m;
            double mel = 1127 * log(1 + f / 700), bestd = 1e9;
            int nearest = -1;
            for (int m = 0; m < c.num_mel; m++) {
                double d = fabs(1127 * log(1 + features_mel_center_hz(&c, m) / 700) - mel);
                if (d < bestd) bestd = d, nearest = m;
            }
            ck_assert_msg(best == nearest, "%g Hz at %d Hz: peak in filter %d, nearest %d", f,
                          c.rate, best, nearest);
            free(x);
            free(y);
        }
        features_destroy(fx);
    }
}
END_TEST

/* The VTLP warp keeps 0 and Nyquist, is ALPHA f below its boundary,
 * continuous and increasing; a tone at f then peaks in the filter nearest
 * W(f); warping back to 1 gives the unwarped features bit for bit. */
START_TEST(vtlp_moves_a_tone_by_the_warp_factor)
{
    const double S = 4000, alphas[] = {0.9, 1.1, 0.8, 1.2};
    for (int a = 0; a < 4; a++) {
        double al = alphas[a], b = 0.8 * S * (al < 1 ? al : 1) / al, prev = -1;
        ck_assert_double_eq(features_warp_hz(0, al, S), 0);
        ck_assert_double_eq_tol(features_warp_hz(S, al, S), S, 1e-9);
        ck_assert_double_eq_tol(features_warp_hz(b / 2, al, S), al * b / 2, 1e-9);
        ck_assert_double_eq_tol(features_warp_hz(b + 1e-9, al, S), al * b, 1e-6);
        for (double f = 0; f <= S; f += 10) {
            double w = features_warp_hz(f, al, S);
            ck_assert_msg(w > prev, "W(%g) = %g not increasing (alpha %g)", f, w, al);
            prev = w;
        }
    }
    ck_assert_double_eq(features_warp_hz(1234.5, 1.0, S), 1234.5);
    features_config c;
    features_config_default(&c);
    c.kind = FEATURES_FBANK;
    c.rate = 8000;
    c.num_mel = 23; /* filters wide against the 31 Hz bins: no near-ties */
    features_extractor *fx = features_create(&c), *plain = features_create(&c);
    int moved = 0;
    for (int a = 0; a < 2; a++) {
        features_set_warp(fx, alphas[a]);
        for (double f = 400; f < 3000; f *= 1.3) {
            float *x = test_sine(f, 0.5, (size_t)c.rate / 4, c.rate), *y;
            int T;
            ck_assert_int_eq(features_compute(fx, x, (size_t)c.rate / 4, 0, &y, &T), 0);
            int best = 0, nearest = -1;
            for (int m = 1; m < c.num_mel; m++)
                if (y[10 * c.num_mel + m] > y[10 * c.num_mel + best]) best = m;
            double mel = 1127 * log(1 + features_warp_hz(f, alphas[a], S) / 700), bestd = 1e9;
            for (int m = 0; m < c.num_mel; m++) {
                double d = fabs(1127 * log(1 + features_mel_center_hz(&c, m) / 700) - mel);
                if (d < bestd) bestd = d, nearest = m;
            }
            ck_assert_msg(best == nearest, "%g Hz warped by %g: peak in filter %d, nearest %d", f,
                          alphas[a], best, nearest);
            double unwarped = 1127 * log(1 + f / 700);
            for (int m = 0; m < c.num_mel; m++)
                if (m != best &&
                    fabs(1127 * log(1 + features_mel_center_hz(&c, m) / 700) - unwarped) <
                        fabs(1127 * log(1 + features_mel_center_hz(&c, best) / 700) - unwarped)) {
                    moved++; /* the peak is not where the unwarped tone's would be */
                    break;
                }
            free(x);
            free(y);
        }
    }
    ck_assert_int_ge(moved, 4);
    features_set_warp(fx, 1.0);
    float *x = test_sine(700, 0.5, 4000, c.rate), *y1, *y2;
    int T1, T2;
    ck_assert_int_eq(features_compute(fx, x, 4000, 0, &y1, &T1), 0);
    ck_assert_int_eq(features_compute(plain, x, 4000, 0, &y2, &T2), 0);
    ck_assert_int_eq(T1, T2);
    ck_assert_int_eq(memcmp(y1, y2, sizeof(float) * (size_t)T1 * 23), 0);
    free(x);
    free(y1);
    free(y2);
    features_destroy(fx);
    features_destroy(plain);
}
END_TEST

START_TEST(dct_equals_the_direct_sum_and_mfcc_uses_it)
{
    enum { M = 23, K = 13 };
    float in[M], out[K];
    for (int m = 0; m < M; m++) in[m] = (float)sin(0.7 * m * m + 1.3);
    features_dct(in, M, out, K);
    for (int k = 0; k < K; k++) {
        long double s = 0;
        for (int m = 0; m < M; m++)
            s += in[m] * cosl(3.14159265358979323846L * k * (2 * m + 1) / (2 * M));
        s *= k == 0 ? sqrtl(1.0L / M) : sqrtl(2.0L / M);
        ck_assert_double_eq_tol(out[k], (double)s, 1e-5);
    }
    /* MFCC of a signal = liftered DCT of its fbank. */
    features_config c;
    features_config_default(&c);
    c.lifter = 22;
    features_config f = c;
    f.kind = FEATURES_FBANK;
    float *x = test_sine(1000, 0.3, 1600, 16000);
    for (int i = 0; i < 1600; i++) x[i] += 0.1f * (float)sin(i * 0.37 * i);
    features_extractor *a = features_create(&c), *b = features_create(&f);
    float *mf, *fb;
    int T1, T2;
    ck_assert_int_eq(features_compute(a, x, 1600, 0, &mf, &T1), 0);
    ck_assert_int_eq(features_compute(b, x, 1600, 0, &fb, &T2), 0);
    ck_assert_int_eq(T1, T2);
    for (int t = 0; t < T1; t++) {
        features_dct(fb + t * 23, 23, out, K);
        for (int k = 0; k < K; k++) {
            double lift = 1 + 11 * sin(M_PI * k / 22);
            ck_assert_double_eq_tol(mf[t * K + k], out[k] * lift, 1e-3 * (1 + fabs(out[k] * lift)));
        }
    }
    features_destroy(a);
    features_destroy(b);
    free(x);
    free(mf);
    free(fb);
}
END_TEST

START_TEST(deltas_of_a_linear_ramp_are_its_slope)
{
    enum { T = 12, D = 3 };
    float in[T * D], out[T * D];
    for (int t = 0; t < T; t++)
        for (int d = 0; d < D; d++) in[t * D + d] = (float)((d + 1) * 0.5 * t - d);
    features_deltas(in, D, out, D, T, D);
    /* Away from the edges (2 frames each side, where frames are replicated). */
    for (int t = 2; t < T - 2; t++)
        for (int d = 0; d < D; d++) ck_assert_float_eq_tol(out[t * D + d], (d + 1) * 0.5f, 1e-5);
    /* At the first frame: (1*(x1-x0) + 2*(x2-x0)) / 10 = 5 slope / 10. */
    ck_assert_float_eq_tol(out[0], 0.25f, 1e-6);
    /* Delta-deltas of a ramp are zero in the interior. */
    float dd[T * D];
    features_deltas(out, D, dd, D, T, D);
    for (int t = 4; t < T - 4; t++) ck_assert_float_eq_tol(dd[t * D], 0.0f, 1e-5);
}
END_TEST

START_TEST(cmvn_gives_zero_mean_and_unit_variance)
{
    enum { T = 50, D = 4 };
    float x[T * D];
    for (int t = 0; t < T; t++)
        for (int d = 0; d < D; d++) x[t * D + d] = (float)(d * 10 + (d + 1) * sin(t * 0.3 + d));
    features_cmvn(x, T, D);
    for (int d = 0; d < D; d++) {
        double s = 0, s2 = 0;
        for (int t = 0; t < T; t++) s += x[t * D + d], s2 += x[t * D + d] * x[t * D + d];
        ck_assert_double_eq_tol(s / T, 0, 1e-5);
        ck_assert_double_eq_tol(s2 / T, 1, 1e-4);
    }
}
END_TEST

START_TEST(frame_counts_are_exact)
{
    features_config c;
    features_config_default(&c); /* 16 kHz: frame 400, hop 160 */
    ck_assert_int_eq(features_num_frames(&c, 0), 0);
    ck_assert_int_eq(features_num_frames(&c, 399), 0);
    ck_assert_int_eq(features_num_frames(&c, 400), 1);
    ck_assert_int_eq(features_num_frames(&c, 559), 1);
    ck_assert_int_eq(features_num_frames(&c, 560), 2);
    ck_assert_int_eq(features_num_frames(&c, 16000), 98);
    c.rate = 8000; /* frame 200, hop 80: 1 + (8000 - 200) / 80 */
    ck_assert_int_eq(features_num_frames(&c, 8000), 98);
    c.deltas = 2;
    ck_assert_int_eq(features_dim(&c), 39);
    features_extractor *fx = features_create(&c);
    float *x = test_sine(300, 0.2, 8000, 8000), *y;
    int T;
    ck_assert_int_eq(features_compute(fx, x, 8000, 0, &y, &T), 0);
    ck_assert_int_eq(T, 98);
    free(y);
    ck_assert_int_eq(features_compute(fx, x, 150, 0, &y, &T), 0);
    ck_assert_int_eq(T, 0);
    ck_assert_ptr_null(y);
    features_destroy(fx);
    free(x);
}
END_TEST

START_TEST(config_text_round_trips_and_bad_values_are_named)
{
    features_config c, d;
    features_config_default(&c);
    c.kind = FEATURES_FBANK;
    c.rate = 8000;
    c.num_mel = 40;
    c.deltas = 2;
    c.cmvn = 1;
    c.dither = 1.5f;
    c.seed = 77;
    c.window = WINDOW_HAMMING;
    char *t = features_config_format(&c);
    features_config_default(&d);
    ck_assert_int_eq(features_config_parse(t, &d), 0);
    ck_assert_mem_eq(&c, &d, sizeof c);
    free(t);
    ck_assert_int_eq(features_config_set(&d, "num_mel=abc"), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "num_mel = abc"));
    ck_assert_int_eq(features_config_set(&d, "colour=blue"), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "colour"));
    d.high_hz = 6000; /* above the Nyquist frequency of 8 kHz audio */
    ck_assert_ptr_null(features_create(&d));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "mel range"));
}
END_TEST

START_TEST(dither_is_reproducible_from_the_seed)
{
    features_config c;
    features_config_default(&c);
    c.dither = 1;
    c.seed = 5;
    float x[4000] = {0}, *a, *b, *d;
    int T;
    features_extractor *fx = features_create(&c);
    features_compute(fx, x, 4000, 3, &a, &T);
    features_compute(fx, x, 4000, 3, &b, &T);
    features_compute(fx, x, 4000, 4, &d, &T);
    ck_assert_mem_eq(a, b, sizeof(float) * (size_t)T * 13);
    ck_assert_int_ne(memcmp(a, d, sizeof(float) * (size_t)T * 13), 0);
    for (int i = 0; i < T * 13; i++) ck_assert(isfinite(a[i]));
    free(a);
    free(b);
    free(d);
    features_destroy(fx);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("features");
    TCase *tc = tcase_create("features");
    tcase_add_test(tc, a_pure_tone_peaks_in_the_nearest_mel_filter);
    tcase_add_test(tc, vtlp_moves_a_tone_by_the_warp_factor);
    tcase_add_test(tc, dct_equals_the_direct_sum_and_mfcc_uses_it);
    tcase_add_test(tc, deltas_of_a_linear_ramp_are_its_slope);
    tcase_add_test(tc, cmvn_gives_zero_mean_and_unit_variance);
    tcase_add_test(tc, frame_counts_are_exact);
    tcase_add_test(tc, config_text_round_trips_and_bad_values_are_named);
    tcase_add_test(tc, dither_is_reproducible_from_the_seed);
    suite_add_tcase(s, tc);
    return s;
}
