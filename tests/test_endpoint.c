/* test_endpoint.c — src/signal/endpoint.c: tone bursts in noise are found
 * as utterances whose speech ends where the burst ends; the segments do not
 * depend on how the stream is chunked; a vowel held longer than the floor's
 * window stays speech; a sound with no pause is cut at the maximum length and
 * then taken for background, as is a background that gets louder; noise
 * alone and a burst shorter than the minimum speech give no utterance; a
 * sound from the first sample is an utterance (found when the stream gets
 * quieter, or at its end when it never does), and so are two quiet words
 * found together in hindsight, while loud steady noise from the first sample
 * is not; bad settings are refused. Offline (endpoint_quiet_cuts), a
 * recording's long silence before its first burst and after its last is
 * cut but for the padding, a short pause between bursts kept and a long
 * one shortened, whatever DC offset it rides on; one with no speech, one
 * of speech to its edges and one with little quiet around it are kept
 * whole. */
#include <check.h>

#include "base/rng.h"
#include "signal/endpoint.h"

#include <math.h>
#include <stdlib.h>

#define RATE 8000

/* White noise at -60 dBFS with 440 Hz tone bursts of amplitude AMP[i]
 * (AMP NULL: 0.3, about -13 dBFS) over [ON[i], OFF[i]) seconds. */
static float *make_tones(double seconds, const double *on, const double *off, const double *amp,
                         int bursts, size_t *n)
{
    *n = (size_t)(seconds * RATE);
    float *x = malloc(*n * sizeof *x);
    rng_state r;
    rng_seed(&r, 7);
    for (size_t i = 0; i < *n; i++) {
        double t = (double)i / RATE, v = 0.001 * rng_normal(&r);
        for (int b = 0; b < bursts; b++)
            if (t >= on[b] && t < off[b]) v += (amp ? amp[b] : 0.3) * sin(2 * M_PI * 440 * t);
        x[i] = (float)v;
    }
    return x;
}

static float *make_signal(double seconds, const double *on, const double *off, int bursts,
                          size_t *n)
{
    return make_tones(seconds, on, off, NULL, bursts, n);
}

/* All segments of X fed CHUNK samples at a time (then finished): each
 * chunk fed again until the endpointer has taken it all and given every
 * segment (one found in hindsight comes with no sample taken). */
static int run(const endpoint_config *c, const float *x, size_t n, size_t chunk,
               endpoint_segment *seg, int max)
{
    endpointer *e = endpoint_create(c, RATE);
    int k = 0;
    for (size_t i = 0; i < n;) {
        size_t len = n - i < chunk ? n - i : chunk, used;
        int got;
        do {
            got = endpoint_feed(e, x + i, len, &used, &seg[k]);
            ck_assert_uint_le(used, len);
            ck_assert(got || used == len);
            if (got && k < max - 1) k++;
            i += used;
            len -= used;
        } while (got);
    }
    while (endpoint_finish(e, &seg[k]))
        if (k < max - 1) k++;
    endpoint_destroy(e);
    return k;
}

/* The segments of X are the same fed in chunks of 1, 37, 80 and 4096
 * samples as whole; their number. */
static int run_chunked(const endpoint_config *c, const float *x, size_t n, endpoint_segment *seg,
                       int max)
{
    int k = run(c, x, n, n, seg, max);
    const size_t chunks[] = {1, 37, 80, 4096};
    endpoint_segment part[16];
    for (int j = 0; j < 4; j++) {
        ck_assert_int_eq(run(c, x, n, chunks[j], part, 16), k);
        for (int i = 0; i < k; i++) {
            ck_assert_int_eq(part[i].start, seg[i].start);
            ck_assert_int_eq(part[i].end, seg[i].end);
            ck_assert_int_eq(part[i].speech_end, seg[i].speech_end);
        }
    }
    return k;
}

START_TEST(endpoint_finds_bursts)
{
    const double on[] = {1.0, 3.0}, off[] = {1.5, 3.8};
    size_t n;
    float *x = make_signal(5.0, on, off, 2, &n);
    endpoint_config c;
    endpoint_config_default(&c);
    endpoint_segment seg[8];
    int k = run(&c, x, n, n, seg, 8);
    ck_assert_int_eq(k, 2);
    for (int i = 0; i < 2; i++) {
        /* Speech ends within a frame of the burst's end; the utterance holds
         * the burst and the padding on both sides. */
        ck_assert_int_le(labs((long)(seg[i].speech_end - (int64_t)(off[i] * RATE))), RATE / 100);
        ck_assert_int_le(seg[i].start,
                         (int64_t)(on[i] * RATE) - c.pad_ms * RATE / 1000 + RATE / 100);
        ck_assert_int_ge(seg[i].start,
                         (int64_t)(on[i] * RATE) - c.pad_ms * RATE / 1000 - RATE / 100);
        ck_assert_int_eq(seg[i].end, seg[i].speech_end + c.pad_ms * RATE / 1000);
    }
    free(x);
}
END_TEST

START_TEST(endpoint_chunking_does_not_matter)
{
    const double on[] = {0.5, 2.0, 2.9}, off[] = {1.2, 2.5, 3.5};
    size_t n;
    float *x = make_signal(4.0, on, off, 3, &n);
    endpoint_config c;
    endpoint_config_default(&c);
    endpoint_segment whole[8];
    int k = run_chunked(&c, x, n, whole, 8);
    ck_assert_int_eq(k, 3);
    /* Utterances never overlap: the second's padding stops at the first's end. */
    for (int i = 1; i < k; i++) ck_assert_int_ge(whole[i].start, whole[i - 1].end);
    free(x);
}
END_TEST

START_TEST(endpoint_long_sounds)
{
    /* 5 s of tone, longer than the 3 s floor window: one utterance to its end. */
    const double on[] = {0.5}, off[] = {5.5};
    size_t n;
    float *x = make_signal(7.0, on, off, 1, &n);
    endpoint_config c;
    endpoint_config_default(&c);
    endpoint_segment seg[16];
    ck_assert_int_eq(run(&c, x, n, 160, seg, 16), 1);
    ck_assert_int_le(labs((long)(seg[0].speech_end - (int64_t)(5.5 * RATE))), RATE / 100);

    /* With a 2 s maximum it is cut there, and the rest is background. */
    c.max_utterance_ms = 2000;
    ck_assert_int_eq(run(&c, x, n, 160, seg, 16), 1);
    ck_assert_int_eq(seg[0].end - seg[0].start, 2 * RATE);
    free(x);
}
END_TEST

START_TEST(endpoint_ignores_noise_and_clicks)
{
    const double on[] = {1.0}, off[] = {1.03}; /* 30 ms: under the 60 ms minimum */
    size_t n;
    float *x = make_signal(8.0, on, off, 1, &n);
    endpoint_config c;
    endpoint_config_default(&c);
    endpoint_segment seg[8];
    ck_assert_int_eq(run(&c, x, n, 100, seg, 8), 0);

    /* A background 20 dB louder from 2 s on: an utterance until the maximum
     * length, then the floor is the new background. */
    for (size_t i = 2 * RATE; i < n; i++) x[i] *= 10;
    c.max_utterance_ms = 2000;
    ck_assert_int_eq(run(&c, x, n, 100, seg, 8), 1);
    ck_assert_int_eq(seg[0].end, 4 * RATE - c.pad_ms * RATE / 1000);
    free(x);
}
END_TEST

START_TEST(endpoint_speech_at_the_start)
{
    endpoint_config c;
    endpoint_config_default(&c);
    endpoint_segment seg[8];
    /* A tone from the first sample, then background: the utterance starts
     * at sample 0 and its speech ends with the tone. */
    const double on[] = {0.0}, off[] = {0.5};
    size_t n;
    float *x = make_signal(2.0, on, off, 1, &n);
    ck_assert_int_eq(run_chunked(&c, x, n, seg, 8), 1);
    ck_assert_int_eq(seg[0].start, 0);
    ck_assert_int_le(labs((long)(seg[0].speech_end - RATE / 2)), RATE / 100);
    ck_assert_int_eq(seg[0].end, seg[0].speech_end + c.pad_ms * RATE / 1000);
    free(x);

    /* A tone from the first sample to the last: nothing quieter to call
     * background, so it is one utterance, the whole stream. */
    const double all_off[] = {1.0};
    x = make_signal(1.0, on, all_off, 1, &n);
    ck_assert_int_eq(run_chunked(&c, x, n, seg, 8), 1);
    ck_assert_int_eq(seg[0].start, 0);
    ck_assert_int_eq(seg[0].end, (int64_t)n);
    free(x);
}
END_TEST

START_TEST(endpoint_start_in_hindsight)
{
    /* Two quiet words (-40 dBFS) over a hum (-49 dBFS) from the first
     * sample: nothing is 12 dB above the hum, until the hum stops at 1 s
     * and the background is the -60 dBFS noise. Then both words are found
     * at once (the second given with no sample taken), in the stream's
     * first second. */
    const double on[] = {0.0, 0.0, 0.5}, off[] = {1.0, 0.1, 0.6}, amp[] = {0.005, 0.009, 0.009};
    size_t n;
    float *x = make_tones(2.0, on, off, amp, 3, &n);
    endpoint_config c;
    endpoint_config_default(&c);
    endpoint_segment seg[8];
    ck_assert_int_eq(run_chunked(&c, x, n, seg, 8), 2);
    ck_assert_int_eq(seg[0].start, 0);
    ck_assert_int_le(labs((long)(seg[0].speech_end - RATE / 10)), RATE / 100);
    ck_assert_int_le(labs((long)(seg[1].speech_end - 6 * RATE / 10)), RATE / 100);
    ck_assert_int_ge(seg[1].start, seg[0].end);
    free(x);
}
END_TEST

START_TEST(endpoint_loud_noise_from_the_start)
{
    /* Noise at -30 dBFS from the first sample for longer than the maximum
     * utterance: background, no utterance; a tone burst in it is one. */
    size_t n;
    float *x = make_signal(5.0, NULL, NULL, 0, &n);
    for (size_t i = 0; i < n; i++) x[i] *= 31.6f;
    endpoint_config c;
    endpoint_config_default(&c);
    c.max_utterance_ms = 2000;
    endpoint_segment seg[8];
    ck_assert_int_eq(run_chunked(&c, x, n, seg, 8), 0);
    for (size_t i = 3 * RATE; i < 3 * RATE + RATE / 2; i++)
        x[i] += 0.3f * (float)sin(2 * M_PI * 440 * (double)i / RATE);
    ck_assert_int_eq(run_chunked(&c, x, n, seg, 8), 1);
    ck_assert_int_le(labs((long)(seg[0].speech_end - 7 * RATE / 2)), RATE / 100);
    free(x);
}
END_TEST

START_TEST(endpoint_refuses_bad_settings)
{
    endpoint_config c;
    endpoint_config_default(&c);
    ck_assert_int_eq(endpoint_config_check(&c), 0);
    c.hangover_ms = 5;
    ck_assert_int_eq(endpoint_config_check(&c), -1);
    endpoint_config_default(&c);
    c.threshold_db = NAN;
    ck_assert_int_eq(endpoint_config_check(&c), -1);
    endpoint_config_default(&c);
    c.max_utterance_ms = 100;
    ck_assert_int_eq(endpoint_config_check(&c), -1);
}
END_TEST

START_TEST(endpoint_cuts_of_a_recording)
{
    /* Two words with a short pause between them, long silence either side:
     * the silence is cut but the pad, the pause kept. */
    const double on[] = {1.5, 2.3}, off[] = {2.0, 2.8};
    size_t n;
    float *x = make_signal(4.5, on, off, 2, &n);
    endpoint_config c;
    endpoint_config_default(&c);
    long pad = c.pad_ms * RATE / 1000, frame = RATE / 100;
    endpoint_cuts k;
    ck_assert_int_eq(endpoint_quiet_cuts(NULL, RATE, x, n, &k), 1);
    ck_assert_int_eq(k.n, 2);
    ck_assert_int_eq(k.start[0], 0);
    ck_assert_int_le(labs((long)k.end[0] - (long)(on[0] * RATE - pad)), frame);
    ck_assert_int_le(labs((long)k.start[1] - (long)(off[1] * RATE + pad)), frame);
    ck_assert_int_eq(k.end[1], (int64_t)n);
    /* The same on a DC offset of a tenth of full scale. */
    for (size_t i = 0; i < n; i++) x[i] += 0.1f;
    endpoint_cuts k2;
    ck_assert_int_eq(endpoint_quiet_cuts(NULL, RATE, x, n, &k2), 1);
    ck_assert_int_eq(k2.n, 2);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_le(labs((long)(k2.start[i] - k.start[i])), frame);
        ck_assert_int_le(labs((long)(k2.end[i] - k.end[i])), frame);
    }
    free(x);
    /* A long pause between two words: shortened to twice
     * ENDPOINT_PAUSE_KEEP_MS, the same on either side. */
    const double on3[] = {0.2, 2.5}, off3[] = {0.7, 3.0};
    x = make_signal(3.2, on3, off3, 2, &n);
    long keep = ENDPOINT_PAUSE_KEEP_MS * RATE / 1000;
    ck_assert_int_eq(endpoint_quiet_cuts(NULL, RATE, x, n, &k), 1);
    ck_assert_int_eq(k.n, 1);
    ck_assert_int_le(labs((long)k.start[0] - (long)(off3[0] * RATE + keep)), frame);
    ck_assert_int_le(labs((long)k.end[0] - (long)(on3[1] * RATE - keep)), frame);
    free(x);
    /* Noise alone: no speech, nothing cut. */
    x = make_signal(2.0, on, off, 0, &n);
    ck_assert_int_eq(endpoint_quiet_cuts(NULL, RATE, x, n, &k), 0);
    ck_assert_int_eq(k.n, 0);
    free(x);
    /* A word from the first sample to the last (a clip cut tight), and one
     * with less quiet before and after it than is worth cutting: whole. */
    const double on1[] = {0}, off1[] = {0.6};
    x = make_signal(0.6, on1, off1, 1, &n);
    endpoint_quiet_cuts(NULL, RATE, x, n, &k);
    ck_assert_int_eq(k.n, 0);
    free(x);
    /* A word from the first sample with a little quiet after it gets
     * ENDPOINT_LEAD_MS of quiet before it. */
    const double off5[] = {0.4};
    x = make_signal(0.6, on1, off5, 1, &n);
    ck_assert_int_eq(endpoint_quiet_cuts(NULL, RATE, x, n, &k), 1);
    ck_assert_int_eq(k.n, 0);
    long lead = ENDPOINT_LEAD_MS * RATE / 1000;
    ck_assert_msg(labs((long)k.lead - lead) <= frame, "lead %ld, expected %ld", (long)k.lead, lead);
    free(x);
    const double on2[] = {0.2}, off2[] = {0.8};
    x = make_signal(1.0, on2, off2, 1, &n);
    ck_assert_int_eq(endpoint_quiet_cuts(NULL, RATE, x, n, &k), 1);
    ck_assert_int_eq(k.n, 0);
    ck_assert_int_eq(k.lead, 0);
    free(x);
    /* A word 40 ms in: the lead makes up the rest. */
    const double on4[] = {0.04}, off4[] = {0.6};
    x = make_signal(0.8, on4, off4, 1, &n);
    ck_assert_int_eq(endpoint_quiet_cuts(NULL, RATE, x, n, &k), 1);
    ck_assert_msg(labs((long)k.lead - (lead - (long)(0.04 * RATE))) <= frame, "lead %ld",
                  (long)k.lead);
    free(x);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("endpoint");
    TCase *tc = tcase_create("endpoint");
    tcase_add_test(tc, endpoint_finds_bursts);
    tcase_add_test(tc, endpoint_chunking_does_not_matter);
    tcase_add_test(tc, endpoint_long_sounds);
    tcase_add_test(tc, endpoint_ignores_noise_and_clicks);
    tcase_add_test(tc, endpoint_speech_at_the_start);
    tcase_add_test(tc, endpoint_start_in_hindsight);
    tcase_add_test(tc, endpoint_loud_noise_from_the_start);
    tcase_add_test(tc, endpoint_refuses_bad_settings);
    tcase_add_test(tc, endpoint_cuts_of_a_recording);
    suite_add_tcase(s, tc);
    return s;
}
