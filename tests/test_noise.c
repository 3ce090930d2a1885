/* test_noise.c — SNR measured on the 16-bit-quantised mixture, peak ceiling,
 * determinism, coloured-noise spectral slopes. */
#include <check.h>

#include "signal/noise.h"
#include "base/rng.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { RATE = 16000, N = 16000 };

/* Speech stand-in: bursts of a sine with silent gaps. */
static float *fake_speech(double amp)
{
    float *s = test_sine(300.0, amp, N, RATE);
    for (size_t i = 0; i < N; i++)
        if ((i / 4000) % 2 == 1) s[i] = 0;
    return s;
}

/* Mix, quantise like a 16-bit writer, re-derive the added noise as
 * q/g - s and measure the SNR over the speech-active samples. */
static double measured_snr(double amp, double snr, double *gain_out, double *peak_out)
{
    float *s = fake_speech(amp), *nz = malloc(N * sizeof *nz), *m = malloc(N * sizeof *m);
    rng_state r;
    rng_seed(&r, 7);
    noise_white(&r, nz, N);
    double a, g;
    ck_assert_int_eq(noise_mix_snr(s, nz, N, RATE, snr, m, &a, &g), 0);
    double peak = 0;
    for (size_t i = 0; i < N; i++) {
        float q = (float)(lrintf(m[i] * 32768.0f) / 32768.0);
        if (fabsf(q) > peak) peak = fabsf(q);
        m[i] = (float)(q / g - s[i]);
    }
    unsigned char *act = malloc(N);
    noise_active_mask(s, N, RATE, act);
    double out = 10 * log10(noise_masked_power(s, N, act) / noise_masked_power(m, N, act));
    free(act);
    free(s);
    free(nz);
    free(m);
    *gain_out = g;
    *peak_out = peak;
    return out;
}

START_TEST(snr_exact_including_negative_and_rescaled)
{
    const double snrs[] = {20, 5, 0, -5};
    for (int k = 0; k < 4; k++) {
        double g, peak, got = measured_snr(0.3, snrs[k], &g, &peak);
        ck_assert_double_eq_tol(got, snrs[k], 0.1);
        ck_assert(peak < 32767.0 / 32768.0);
    }
    /* Loud speech at -5 dB forces rescaling of the whole mixture. */
    double g, peak, got = measured_snr(0.9, -5, &g, &peak);
    ck_assert(g < 1.0);
    ck_assert_double_eq_tol(got, -5, 0.1);
    ck_assert(peak < 32767.0 / 32768.0);
}
END_TEST

START_TEST(same_seed_same_noise)
{
    float a[1000], b[1000];
    rng_state r1, r2;
    rng_seed(&r1, 3);
    rng_seed(&r2, 3);
    noise_pink(&r1, a, 1000);
    noise_pink(&r2, b, 1000);
    ck_assert(memcmp(a, b, sizeof a) == 0);
}
END_TEST

/* Power in octave bands [f, 2f) by a direct DFT-free estimate: average
 * periodogram over blocks via Goertzel at log-spaced frequencies. */
static double band_power(const float *x, size_t n, double f)
{
    size_t blk = 4096;
    double tot = 0;
    int cnt = 0;
    for (size_t st = 0; st + blk <= n; st += blk) {
        for (int j = 0; j < 8; j++) {
            double fr = f * pow(2.0, j / 8.0), w = 2 * M_PI * fr / RATE;
            double re = 0, im = 0;
            for (size_t i = 0; i < blk; i++) {
                double h = 0.5 - 0.5 * cos(2 * M_PI * i / (blk - 1));
                re += h * x[st + i] * cos(w * i);
                im -= h * x[st + i] * sin(w * i);
            }
            tot += re * re + im * im;
            cnt++;
        }
    }
    return tot / cnt;
}

static double slope_db_per_octave(void (*gen)(rng_state *, float *, size_t))
{
    size_t n = 4096 * 12;
    float *x = malloc(n * sizeof *x);
    rng_state r;
    rng_seed(&r, 11);
    gen(&r, x, n);
    /* Least-squares fit of dB against octave index over 100 Hz .. 3.2 kHz. */
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 6;
    for (int k = 0; k < m; k++) {
        double y = 10 * log10(band_power(x, n, 100.0 * pow(2.0, k)));
        sx += k;
        sy += y;
        sxx += k * k;
        sxy += k * y;
    }
    free(x);
    return (m * sxy - sx * sy) / (m * sxx - sx * sx);
}

START_TEST(spectral_slopes)
{
    ck_assert_double_eq_tol(slope_db_per_octave(noise_white), 0.0, 1.0);
    ck_assert_double_eq_tol(slope_db_per_octave(noise_pink), -3.0, 1.0);
    ck_assert_double_eq_tol(slope_db_per_octave(noise_brown), -6.0, 1.5);
}
END_TEST

START_TEST(reverb_length_and_direct_convolution)
{
    float x[300], h[50], y[349];
    rng_state r;
    rng_seed(&r, 5);
    noise_white(&r, x, 300);
    noise_rir_synth(&r, 0.3, RATE, h, 50);
    ck_assert_int_eq(noise_reverb(x, 300, h, 50, y), 0);
    /* Brute-force linear convolution, normalised by the peak tap (h[0]). */
    for (size_t t = 0; t < 349; t++) {
        double acc = 0;
        for (size_t j = 0; j < 50; j++)
            if (t >= j && t - j < 300) acc += (double)x[t - j] * h[j];
        ck_assert_double_eq_tol(y[t], acc, 1e-4);
    }
}
END_TEST

/* Talker j is a constant j+1: the babble of K=2 talkers excluding SELF is a
 * constant equal to 2 (each talker normalised to unit power, same sign), and
 * the chosen list never names SELF; excluding SELF with only two others must
 * pick exactly those two. */
START_TEST(babble_never_uses_self)
{
    float a[10], b[10], c[10], out[25];
    for (int i = 0; i < 10; i++) a[i] = 1, b[i] = 2, c[i] = 3;
    const float *srcs[3] = {a, b, c};
    size_t lens[3] = {10, 10, 10};
    rng_state r;
    rng_seed(&r, 9);
    for (int self = 0; self < 3; self++)
        for (int rep = 0; rep < 20; rep++) {
            int ch[2];
            ck_assert_int_eq(noise_babble(&r, srcs, lens, 3, self, 2, out, 25, ch), 0);
            ck_assert_int_ne(ch[0], self);
            ck_assert_int_ne(ch[1], self);
            ck_assert_int_ne(ch[0], ch[1]);
            for (int i = 0; i < 25; i++) ck_assert_double_eq_tol(out[i], 2.0, 1e-5);
        }
    int ch[3];
    ck_assert_int_eq(noise_babble(&r, srcs, lens, 3, 1, 3, out, 25, ch), -1);
    /* Detectable in the signal itself: SELF is a DC talker, the others are
     * zero-mean alternating +-1, so the babble has zero mean over an even
     * length unless SELF leaked in (mean 1). */
    for (int i = 0; i < 10; i++) b[i] = c[i] = (i % 2) ? -1.0f : 1.0f;
    for (int rep = 0; rep < 20; rep++) {
        ck_assert_int_eq(noise_babble(&r, srcs, lens, 3, 0, 2, out, 24, ch), 0);
        double mean = 0;
        for (int i = 0; i < 24; i++) mean += out[i] / 24.0;
        ck_assert_double_eq_tol(mean, 0.0, 1e-6);
    }
}
END_TEST

START_TEST(loop_wraps_from_offset)
{
    float src[4] = {1, 2, 3, 4}, out[7];
    noise_loop(src, 4, 6, out, 7);
    const float want[7] = {3, 4, 1, 2, 3, 4, 1};
    for (int i = 0; i < 7; i++) ck_assert_float_eq(out[i], want[i]);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("noise");
    TCase *tc = tcase_create("noise");
    tcase_add_test(tc, snr_exact_including_negative_and_rescaled);
    tcase_add_test(tc, same_seed_same_noise);
    tcase_add_test(tc, spectral_slopes);
    tcase_add_test(tc, babble_never_uses_self);
    tcase_add_test(tc, loop_wraps_from_offset);
    tcase_add_test(tc, reverb_length_and_direct_convolution);
    suite_add_tcase(s, tc);
    return s;
}
