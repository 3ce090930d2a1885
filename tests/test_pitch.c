/* test_pitch.c — src/signal/pitch.c: the pitch of a voice-like sound
 * (harmonics of F0 under two formants) is F0 at its rate and half of it when
 * audio at twice the rate is read at that rate (below PITCH_MIN_VOICE_HZ for
 * a man's voice), never half of it from a strong second harmonic; noise and
 * silence have no voiced frame; the frames looked at are bounded. */
#include <check.h>

#include "base/rng.h"
#include "signal/pitch.h"

#include <math.h>
#include <stdlib.h>

/* SECONDS of a voice at F0 Hz sampled at RATE: every harmonic below the
 * Nyquist frequency, falling as 1/k, raised near 500 and 1500 Hz (formants),
 * the second one times H2 more. */
static float *voice(double f0, int rate, double seconds, double h2, size_t *n)
{
    *n = (size_t)(seconds * rate);
    float *x = calloc(*n, sizeof *x);
    for (int k = 1; k * f0 < rate / 2.0; k++) {
        double f = k * f0, a = 1.0 / k;
        a *= 1 + 3 * exp(-pow((f - 500) / 150, 2)) + 2 * exp(-pow((f - 1500) / 200, 2));
        if (k == 2) a *= h2;
        for (size_t i = 0; i < *n; i++) x[i] += (float)(0.05 * a * sin(2 * M_PI * f * i / rate));
    }
    return x;
}

static double median_of(const float *x, size_t n, int rate, int *frames)
{
    pitch_tally t;
    pitch_tally_init(&t);
    pitch_tally_add(&t, x, n, rate, 100000);
    *frames = t.frames;
    return pitch_tally_median(&t);
}

/* The median pitch of 1 s of a voice at F0 Hz (second harmonic times H2)
 * made at MADE_AT Hz and read as READ_AT Hz; *FRAMES its voiced frames. */
static double pitch_of(double f0, int made_at, int read_at, double h2, int *frames)
{
    size_t n;
    float *x = voice(f0, made_at, 1.0, h2, &n);
    double hz = median_of(x, n, read_at, frames);
    free(x);
    return hz;
}

START_TEST(a_voice_has_its_pitch_at_its_rate)
{
    const double f0[] = {95, 120, 210, 300};
    int frames;
    for (int i = 0; i < 4; i++) {
        double hz = pitch_of(f0[i], 8000, 8000, 1, &frames);
        ck_assert_msg(fabs(hz - f0[i]) <= 2, "%.0f Hz voice: median %.0f Hz", f0[i], hz);
        ck_assert_int_ge(frames, 90);
        ck_assert(hz >= PITCH_MIN_VOICE_HZ);
    }
    ck_assert_double_eq_tol(pitch_of(120, 16000, 16000, 1, &frames), 120, 2);
}
END_TEST

/* 16 kHz audio read as 8 kHz: an octave low, a man's voice below any adult
 * voice. */
START_TEST(twice_the_rate_read_as_the_rate_is_an_octave_low)
{
    int frames;
    double hz = pitch_of(120, 16000, 8000, 1, &frames);
    ck_assert_double_eq_tol(hz, 60, 2);
    ck_assert(hz < PITCH_MIN_VOICE_HZ);
}
END_TEST

/* A second harmonic four times the first: the period is still 1/F0 (its
 * half would read as 2 F0, its double as F0 / 2). */
START_TEST(a_strong_harmonic_is_not_the_pitch)
{
    int frames;
    ck_assert_double_eq_tol(pitch_of(110, 8000, 8000, 4, &frames), 110, 2);
}
END_TEST

START_TEST(noise_and_silence_are_not_voiced)
{
    size_t n = 8000;
    float *x = calloc(n, sizeof *x);
    int frames;
    ck_assert_double_eq(median_of(x, n, 8000, &frames), 0);
    ck_assert_int_eq(frames, 0);
    rng_state r;
    rng_seed(&r, 3);
    for (size_t i = 0; i < n; i++) x[i] = (float)(0.1 * rng_normal(&r));
    median_of(x, n, 8000, &frames);
    ck_assert_int_le(frames, 2);
    /* Shorter than a frame: nothing. */
    ck_assert_double_eq(median_of(x, 100, 8000, &frames), 0);
    free(x);
}
END_TEST

START_TEST(the_frames_looked_at_are_bounded)
{
    size_t n;
    float *x = voice(120, 8000, 2.0, 1, &n);
    pitch_tally t;
    pitch_tally_init(&t);
    pitch_tally_add(&t, x, n, 8000, 10);
    ck_assert_int_le(t.frames, 10);
    ck_assert_int_ge(t.frames, 1);
    pitch_tally_add(&t, x, n, 8000, 0);
    ck_assert_int_le(t.frames, 10);
    free(x);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("pitch");
    TCase *tc = tcase_create("pitch");
    tcase_add_test(tc, a_voice_has_its_pitch_at_its_rate);
    tcase_add_test(tc, twice_the_rate_read_as_the_rate_is_an_octave_low);
    tcase_add_test(tc, a_strong_harmonic_is_not_the_pitch);
    tcase_add_test(tc, noise_and_silence_are_not_voiced);
    tcase_add_test(tc, the_frames_looked_at_are_bounded);
    suite_add_tcase(s, tc);
    return s;
}
