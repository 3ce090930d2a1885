/* test_audio.c — round trips, downmix, resampling accuracy, and every kind of
 * bad audio refused with the file's name in the message; long quiet cut out
 * of a recording with its words and their times kept. */
#include <check.h>

#include "signal/audio.h"
#include "base/alloc.h"
#include "base/base64.h"
#include "base/error.h"
#include "testutil.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Amplitude and phase-free frequency check: correlate with sin and cos at F. */
static double tone_amplitude(const float *x, size_t n, int rate, double f)
{
    double s = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        double w = 2 * M_PI * f * (double)i / rate;
        s += x[i] * sin(w);
        c += x[i] * cos(w);
    }
    return 2 * sqrt(s * s + c * c) / (double)n;
}

START_TEST(wav_round_trip_is_16_bit_exact)
{
    enum { N = 8000 };
    float *x = test_sine(440, 0.5, N, 16000);
    char *p = test_path("rt.wav");
    ck_assert_int_eq(audio_write_wav(test_io(), p, x, N, 16000), 0);
    audio a;
    ck_assert_int_eq(audio_read(p, 0, &a), 0);
    ck_assert_int_eq(a.rate, 16000);
    ck_assert_uint_eq(a.n, N);
    for (size_t i = 0; i < N; i++) ck_assert_float_eq_tol(a.x[i], x[i], 1.0 / 32767);
    audio_free(&a);
    free(x);
    free(p);
}
END_TEST

/* A span of a file is exactly those samples; a span past the end or
 * without samples is an error naming the file; 0.1 s past the end is clipped. */
START_TEST(a_span_reads_exactly_its_samples)
{
    enum { N = 8000 };
    float *x = malloc(N * sizeof *x);
    for (int i = 0; i < N; i++) x[i] = (float)(i % 1000) / 2000.0f;
    char *p = test_path("span.wav");
    ck_assert_int_eq(audio_write_wav(test_io(), p, x, N, 8000), 0);
    audio a;
    ck_assert_int_eq(audio_read_span(p, 0.25, 0.5, 0, &a), 0);
    ck_assert_uint_eq(a.n, 2000);
    for (size_t i = 0; i < a.n; i++) ck_assert_float_eq_tol(a.x[i], x[2000 + i], 1.0 / 32767);
    audio_free(&a);
    ck_assert_int_eq(audio_read_span(p, 0.75, -1, 0, &a), 0);
    ck_assert_uint_eq(a.n, 2000);
    audio_free(&a);
    ck_assert_int_eq(audio_read_span(p, 0.9, 1.05, 0, &a), 0); /* clipped at 1 s */
    ck_assert_uint_eq(a.n, 800);
    audio_free(&a);
    ck_assert_int_eq(audio_read_span(p, 0.5, 2.0, 0, &a), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "span.wav"));
    ck_assert_int_eq(audio_read_span(p, 1.5, -1, 0, &a), -1);
    ck_assert_int_eq(audio_read_span(p, 0.5, 0.5, 0, &a), -1);
    ck_assert_int_eq(audio_read_span(p, NAN, 0.5, 0, &a), -1);
    free(x);
    free(p);
}
END_TEST

START_TEST(stereo_flac_is_averaged_to_mono)
{
    enum { N = 4000 };
    float *st = malloc(2 * N * sizeof *st);
    for (size_t i = 0; i < N; i++) {
        st[2 * i] = 0.5f;
        st[2 * i + 1] = -0.25f;
    }
    char *p = test_path("st.flac");
    SF_INFO info = {.samplerate = 8000, .channels = 2, .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16};
    SNDFILE *sf = sf_open(p, SFM_WRITE, &info);
    ck_assert_ptr_nonnull(sf);
    ck_assert_int_eq(sf_writef_float(sf, st, N), N);
    sf_close(sf);
    audio a;
    ck_assert_int_eq(audio_read(p, 0, &a), 0);
    ck_assert_uint_eq(a.n, N);
    for (size_t i = 0; i < N; i++) ck_assert_float_eq_tol(a.x[i], 0.125f, 1e-4);
    audio_free(&a);
    free(st);
    free(p);
}
END_TEST

START_TEST(resampling_keeps_a_tone_and_the_duration)
{
    enum { N = 16000 };
    float *x = test_sine(1000, 0.5, N, 16000);
    char *p = test_write_wav("tone16k.wav", x, N, 16000);
    audio a;
    ck_assert_int_eq(audio_read(p, 8000, &a), 0);
    ck_assert_int_eq(a.rate, 8000);
    ck_assert(labs((long)a.n - 8000) <= 2);
    /* Skip the filter's edges; the tone is still 1 kHz at amplitude 0.5 and
     * there is nothing at 3 kHz. */
    ck_assert_double_eq_tol(tone_amplitude(a.x + 200, 7600, 8000, 1000), 0.5, 0.01);
    ck_assert(tone_amplitude(a.x + 200, 7600, 8000, 3000) < 0.005);
    audio_free(&a);
    free(x);
    free(p);
}
END_TEST

START_TEST(missing_corrupt_and_empty_audio_are_errors_naming_the_file)
{
    audio a;
    char *missing = test_path("nope.wav");
    ck_assert_int_eq(audio_read(missing, 0, &a), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "nope.wav"));

    char *junk = test_write_text("junk.wav", "this is not a RIFF file at all, just text\n");
    ck_assert_int_eq(audio_read(junk, 0, &a), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "junk.wav"));

    char *empty = test_write_wav("empty.wav", NULL, 0, 16000);
    ck_assert_int_eq(audio_read(empty, 0, &a), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "empty.wav"));
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "empty"));

    /* A WAV cut in the middle of its header. */
    float *x = test_sine(200, 0.3, 1000, 8000);
    char *cut = test_write_wav("cut.wav", x, 1000, 8000);
    ck_assert_int_eq(truncate(cut, 20), 0);
    ck_assert_int_eq(audio_read(cut, 0, &a), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "cut.wav"));
    free(missing);
    free(junk);
    free(empty);
    free(cut);
    free(x);
}
END_TEST

START_TEST(out_of_range_samples_are_refused_and_the_old_file_kept)
{
    float good[4] = {0.1f, -0.1f, 0.2f, -0.2f}, bad[4] = {0.1f, 1.5f, 0.0f, NAN};
    char *p = test_path("keep.wav");
    ck_assert_int_eq(audio_write_wav(test_io(), p, good, 4, 8000), 0);
    ck_assert_int_eq(audio_write_wav(test_io(), p, bad, 4, 8000), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "outside"));
    audio a;
    ck_assert_int_eq(audio_read(p, 0, &a), 0);
    ck_assert_uint_eq(a.n, 4);
    ck_assert_float_eq_tol(a.x[2], 0.2f, 1e-4);
    audio_free(&a);
    free(p);
}
END_TEST

/* A WAV encoded in memory reads back as the same 16-bit samples, and its
 * base64 (RFC 4648 test vectors first) is what a data: URI carries. */
START_TEST(wav_encoded_in_memory_reads_back)
{
    const char *vec[][2] = {{"", ""},
                            {"f", "Zg=="},
                            {"fo", "Zm8="},
                            {"foo", "Zm9v"},
                            {"foob", "Zm9vYg=="},
                            {"fooba", "Zm9vYmE="},
                            {"foobar", "Zm9vYmFy"}};
    for (int i = 0; i < 7; i++) {
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        base64_write(f, vec[i][0], strlen(vec[i][0]));
        fclose(f);
        ck_assert_str_eq(out, vec[i][1]);
        free(out);
    }
    enum { N = 4000 };
    float *x = test_sine(300, 0.5, N, 8000);
    unsigned char *b;
    size_t len;
    ck_assert_int_eq(audio_encode_wav("mem", x, N, 8000, &b, &len), 0);
    ck_assert_uint_eq(len, 44 + 2 * N); /* a canonical 16-bit mono WAV */
    ck_assert(!memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WAVE", 4));
    audio a;
    ck_assert_int_eq(audio_read_buffer("mem", b, len, 0, &a), 0);
    ck_assert_uint_eq(a.n, N);
    for (size_t i = 0; i < N; i++) ck_assert_float_eq_tol(a.x[i], x[i], 1.0 / 32767);
    audio_free(&a);
    free(b);
    x[7] = 1.5f;
    ck_assert_int_eq(audio_encode_wav("mem", x, N, 8000, &b, &len), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "mem: sample 7 is 1.5, outside [-1, 1]"));
    ck_assert_ptr_null(b);
    free(x);
}
END_TEST

START_TEST(quiet_padding_surrounds_the_samples_with_seeded_faint_noise)
{
    enum { N = 1000, RATE = 8000 };
    audio a = {xmalloc(N * sizeof(float)), N, RATE, RATE}, b;
    for (int i = 0; i < N; i++) a.x[i] = 0.5f * (float)sin(i * 0.1);
    b = a;
    b.x = xmalloc(N * sizeof(float));
    memcpy(b.x, a.x, N * sizeof(float));
    audio_pad_quiet(&a, 0.05, 7); /* 400 samples each side */
    audio_pad_quiet(&b, 0.05, 7);
    ck_assert_uint_eq(a.n, N + 800);
    /* The recording in the middle, untouched. */
    for (int i = 0; i < N; i++) ck_assert_float_eq(a.x[400 + i], 0.5f * (float)sin(i * 0.1));
    /* Quiet, not digital zero: RMS -64 dBFS on each side. */
    double s1 = 0, s2 = 0;
    for (int i = 0; i < 400; i++) s1 += a.x[i] * a.x[i], s2 += a.x[N + 400 + i] * a.x[N + 400 + i];
    ck_assert_double_eq_tol(sqrt(s1 / 400), AUDIO_QUIET_RMS, 0.15 * AUDIO_QUIET_RMS);
    ck_assert_double_eq_tol(sqrt(s2 / 400), AUDIO_QUIET_RMS, 0.15 * AUDIO_QUIET_RMS);
    /* The same seed, the same samples; no padding, nothing changes. */
    ck_assert_mem_eq(a.x, b.x, a.n * sizeof(float));
    audio_pad_quiet(&b, 0, 7);
    ck_assert_uint_eq(b.n, N + 800);
    audio_free(&a);
    audio_free(&b);
}
END_TEST

/* 2 s of faint noise, a 0.5 s tone, a 2 s pause, a 0.5 s tone, 2 s of noise
 * (8 kHz): cut to the tones, their padding and a 300 ms pause, the second
 * tone's samples the same as before the cut, and a time in the cut
 * recording mapped back to where it was. */
START_TEST(cutting_the_quiet_keeps_the_words_and_their_times)
{
    const int rate = 8000;
    size_t n = (size_t)(7.0 * rate);
    audio a = {xmalloc(n * sizeof(float)), n, rate, rate};
    unsigned r = 12345;
    for (size_t i = 0; i < n; i++) {
        r = r * 1103515245u + 12345u;
        double t = (double)i / rate, v = 0.0005 * ((double)(r >> 16) / 32768.0 - 1.0);
        if ((t >= 2.0 && t < 2.5) || (t >= 4.5 && t < 5.0)) v += 0.3 * sin(2 * M_PI * 440 * t);
        a.x[i] = (float)v;
    }
    float second = a.x[(size_t)(4.7 * rate)];
    audio_cuts k;
    audio_cut_quiet(&a, &k);
    /* 200 ms pads either side, two tones of 0.5 s, a 300 ms pause. */
    double kept = (double)a.n / rate;
    ck_assert_msg(fabs(kept - (0.2 + 0.5 + 0.3 + 0.5 + 0.2)) < 0.03, "kept %.3f s", kept);
    ck_assert_int_eq(k.n, 3);
    /* The second tone starts 0.2 + 0.5 + 0.3 s into the cut recording,
     * 4.5 s into the recording. */
    double t = audio_uncut_time(&k, 1.0, 0);
    ck_assert_msg(fabs(t - 4.5) < 0.03, "1.0 s maps to %.3f s", t);
    ck_assert_msg(fabs(audio_uncut_time(&k, 0.25, 0) - 2.05) < 0.03, "first tone");
    /* The samples are moved, not changed: the one at 4.7 s is where the
     * seconds cut before it say. */
    double before = audio_uncut_time(&k, 1.2, 0) - 1.2;
    size_t p = (size_t)(4.7 * rate) - (size_t)lround(before * rate);
    ck_assert_uint_lt(p, a.n);
    ck_assert_float_eq(a.x[p], second);
    ck_assert(k.lead == 0);
    audio_free(&a);
}
END_TEST

START_TEST(a_word_from_the_first_sample_gets_quiet_before_it)
{
    /* A tone from the first sample (a clip cut tight to its word, a little
     * quiet after it): nothing is cut, ENDPOINT_LEAD_MS of faint noise comes
     * before it, the samples after are the recording's, and times move back
     * by the lead. */
    const int rate = 8000;
    size_t n = (size_t)(0.5 * rate);
    audio a = {xmalloc(n * sizeof(float)), n, rate, rate};
    for (size_t i = 0; i < n; i++)
        a.x[i] = i < n * 3 / 5 ? (float)(0.3 * sin(2 * M_PI * 440 * (double)i / rate))
                               : 0.0005f * (float)((i * 7919) % 13) / 13.0f;
    float last = a.x[n - 1];
    audio_cuts k;
    audio_cut_quiet(&a, &k);
    size_t lead = (size_t)(ENDPOINT_LEAD_MS * rate / 1000);
    ck_assert_int_eq(k.n, 0);
    ck_assert_uint_eq(a.n, n + lead);
    ck_assert(fabs(k.lead - (double)lead / rate) < 1e-9);
    double rms = 0;
    for (size_t i = 0; i < lead; i++) rms += (double)a.x[i] * a.x[i];
    rms = sqrt(rms / (double)lead);
    ck_assert_msg(rms > 0.5 * AUDIO_QUIET_RMS && rms < 2 * AUDIO_QUIET_RMS, "lead rms %g", rms);
    ck_assert_float_eq(a.x[lead], 0.0f);
    ck_assert_float_eq(a.x[a.n - 1], last);
    ck_assert(fabs(audio_uncut_time(&k, 0.35, 0) - 0.25) < 1e-9);
    ck_assert(audio_uncut_time(&k, 0.05, 0) == 0);
    /* The same recording gets the same lead. */
    audio b = {xmalloc(n * sizeof(float)), n, rate, rate};
    memcpy(b.x, a.x + lead, n * sizeof(float));
    audio_cut_quiet(&b, NULL);
    ck_assert_uint_eq(b.n, a.n);
    ck_assert(!memcmp(a.x, b.x, a.n * sizeof(float)));
    audio_free(&b);
    audio_free(&a);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("audio");
    TCase *tc = tcase_create("audio");
    tcase_add_test(tc, wav_round_trip_is_16_bit_exact);
    tcase_add_test(tc, wav_encoded_in_memory_reads_back);
    tcase_add_test(tc, a_span_reads_exactly_its_samples);
    tcase_add_test(tc, stereo_flac_is_averaged_to_mono);
    tcase_add_test(tc, resampling_keeps_a_tone_and_the_duration);
    tcase_add_test(tc, missing_corrupt_and_empty_audio_are_errors_naming_the_file);
    tcase_add_test(tc, out_of_range_samples_are_refused_and_the_old_file_kept);
    tcase_add_test(tc, quiet_padding_surrounds_the_samples_with_seeded_faint_noise);
    tcase_add_test(tc, cutting_the_quiet_keeps_the_words_and_their_times);
    tcase_add_test(tc, a_word_from_the_first_sample_gets_quiet_before_it);
    suite_add_tcase(s, tc);
    return s;
}
