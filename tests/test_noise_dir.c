/* test_noise_dir.c — `asr noise` on a directory, checked on the files it
 * writes: SNR within 0.1 dB of noise_info, same seed same bytes, nothing at
 * full scale, babble never uses the utterance itself, reverberated length,
 * an existing output refused and untouched. */
#include <check.h>

#include "signal/audio.h"
#include "base/error.h"
#include "base/fileio.h"
#include "signal/noise.h"
#include "signal/noise_dir.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RATE = 16000, NUTT = 6 };

/* Speech-like: bursts of a two-tone signal with syllable-rate envelope and
 * silences, loud enough that mixing must scale some mixtures down. */
static const char *make_dir(const char *name)
{
    static char dirs[4][512];
    static int k;
    char *dir = dirs[k++ % 4];
    snprintf(dir, 512, "%s", test_path(name));
    char buf[8192] = "", text[4096] = "", spk[4096] = "";
    for (int u = 0; u < NUTT; u++) {
        size_t n = (size_t)(RATE * (0.6 + 0.2 * u));
        float *x = calloc(n, sizeof(float));
        for (size_t i = RATE / 10; i < n - RATE / 10; i++) {
            double t = (double)i / RATE;
            double env = 0.5 + 0.5 * sin(2 * M_PI * 4 * t);
            x[i] = (float)((0.5 + 0.09 * u) * env *
                           (0.6 * sin(2 * M_PI * (200 + 30 * u) * t) +
                            0.4 * sin(2 * M_PI * 1300 * t)));
        }
        char wname[64], id[16];
        snprintf(id, sizeof id, "u%d", u);
        snprintf(wname, sizeof wname, "%s-%s.wav", name, id);
        char *w = test_write_wav(wname, x, n, RATE);
        char line[700];
        snprintf(line, sizeof line, "%s %s\n", id, w);
        strcat(buf, line);
        snprintf(line, sizeof line, "%s one two\n", id);
        strcat(text, line);
        snprintf(line, sizeof line, "%s s%d\n", id, u % 2);
        strcat(spk, line);
        free(x);
    }
    char p[600];
    snprintf(p, sizeof p, "%s/wav.scp", name);
    ck_assert_int_eq(make_dirs(dir), 0);
    snprintf(p, sizeof p, "%s/wav.scp", name), test_write_text(p, buf);
    snprintf(p, sizeof p, "%s/text", name), test_write_text(p, text);
    snprintf(p, sizeof p, "%s/utt2spk", name), test_write_text(p, spk);
    return dir;
}

static char *noise_file(void)
{
    size_t n = RATE * 3;
    float *x = malloc(n * sizeof(float));
    rng_state r;
    rng_seed(&r, 99);
    for (size_t i = 0; i < n; i++) x[i] = (float)(0.1 * rng_normal(&r) + 0.2 * sin(i * 0.05));
    char *p = test_write_wav("noise.wav", x, n, RATE);
    free(x);
    return p;
}

static char *slurp(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    rewind(f);
    char *b = malloc((size_t)*size + 1);
    ck_assert_int_eq(fread(b, 1, (size_t)*size, f), *size);
    fclose(f);
    return b;
}

START_TEST(snr_of_the_written_file_matches_noise_info)
{
    const char *in = make_dir("clean");
    char *nf = noise_file();
    char *files[] = {nf};
    noise_options o = {
        .type = NOISE_FILE, .files = files, .nfiles = 1, .snr_lo = -5, .snr_hi = 25, .seed = 4};
    noise_stats st;
    char *out = test_path("noisy");
    ck_assert_msg(noise_corrupt_dir(test_io(), in, out, &o, &st) == 0, "%s", asr_last_error());
    ck_assert_int_eq(st.utterances, NUTT);
    char p[600];
    snprintf(p, sizeof p, "%s/noise_info", out);
    FILE *f = fopen(p, "r");
    int scaled = 0;
    for (int u = 0; u < NUTT; u++) {
        char id[16], src[512];
        long off;
        double snr, gain;
        ck_assert_int_eq(fscanf(f, "%15s %511s %ld %lf %lf", id, src, &off, &snr, &gain), 5);
        ck_assert(snr >= -5 && snr <= 25);
        scaled += gain < 1;
        audio clean, noisy;
        snprintf(p, sizeof p, "%s/clean-%s.wav", test_tmpdir(), id);
        ck_assert_int_eq(audio_read(p, 0, &clean), 0);
        snprintf(p, sizeof p, "%s/wav/%s.wav", out, id);
        ck_assert_int_eq(audio_read(p, 0, &noisy), 0);
        ck_assert_uint_eq(noisy.n, clean.n);
        unsigned char *act = malloc(clean.n);
        noise_active_mask(clean.x, clean.n, RATE, act);
        float *s = malloc(clean.n * sizeof(float)), *nz = malloc(clean.n * sizeof(float));
        for (size_t i = 0; i < clean.n; i++) {
            s[i] = (float)(gain * clean.x[i]);
            nz[i] = noisy.x[i] - s[i];
            ck_assert(fabsf(noisy.x[i]) < 32767.0f / 32768.0f);
        }
        double measured =
            10 * log10(noise_masked_power(s, clean.n, act) / noise_masked_power(nz, clean.n, act));
        ck_assert_msg(fabs(measured - snr) <= 0.1, "%s: measured %.3f dB, drawn %.3f dB", id,
                      measured, snr);
        free(act), free(s), free(nz);
        audio_free(&clean), audio_free(&noisy);
    }
    fclose(f);
    ck_assert_int_gt(scaled, 0); /* the loud ones had to be scaled, not clipped */
    free(nf);
}
END_TEST

START_TEST(same_seed_same_bytes_and_existing_output_is_kept)
{
    const char *in = make_dir("clean2");
    noise_options o = {.type = NOISE_PINK, .snr_lo = 0, .snr_hi = 10, .seed = 7, .threads = 2};
    noise_stats st;
    char *a = test_path("a"), *b = test_path("b"), *c = test_path("c");
    ck_assert_int_eq(noise_corrupt_dir(test_io(), in, a, &o, &st), 0);
    o.threads = 1;
    ck_assert_int_eq(noise_corrupt_dir(test_io(), in, b, &o, &st), 0);
    o.seed = 8;
    ck_assert_int_eq(noise_corrupt_dir(test_io(), in, c, &o, &st), 0);
    char pa[600], pb[600], pc[600];
    long na, nb, nc;
    snprintf(pa, sizeof pa, "%s/wav/u3.wav", a);
    snprintf(pb, sizeof pb, "%s/wav/u3.wav", b);
    snprintf(pc, sizeof pc, "%s/wav/u3.wav", c);
    char *ba = slurp(pa, &na), *bb = slurp(pb, &nb), *bc = slurp(pc, &nc);
    ck_assert_int_eq(na, nb);
    ck_assert_mem_eq(ba, bb, (size_t)na);
    ck_assert_int_ne(memcmp(ba, bc, (size_t)na), 0);
    free(bb), free(bc);
    /* An existing output is refused without force, and left as it was. */
    ck_assert_int_eq(noise_corrupt_dir(test_io(), in, a, &o, &st), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "--force"));
    char *again = slurp(pa, &nb);
    ck_assert_mem_eq(again, ba, (size_t)na);
    free(again);
    /* Bad arguments: nothing written. */
    noise_options bad = {.type = NOISE_WHITE, .snr_lo = 10, .snr_hi = 0};
    ck_assert_int_eq(noise_corrupt_dir(test_io(), in, test_path("d"), &bad, &st), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "inverted"));
    noise_options nofiles = {.type = NOISE_FILE, .snr_lo = 0, .snr_hi = 1};
    ck_assert_int_eq(noise_corrupt_dir(test_io(), in, test_path("d"), &nofiles, &st), -1);
    FILE *f = fopen(test_path("d"), "r");
    ck_assert_ptr_null(f);
    free(ba);
}
END_TEST

START_TEST(babble_never_uses_the_utterance_itself)
{
    const char *in = make_dir("clean3");
    noise_options o = {.type = NOISE_BABBLE, .talkers = 5, .snr_lo = 0, .snr_hi = 5, .seed = 2};
    noise_stats st;
    char *out = test_path("babble");
    ck_assert_msg(noise_corrupt_dir(test_io(), in, out, &o, &st) == 0, "%s", asr_last_error());
    char p[600];
    snprintf(p, sizeof p, "%s/noise_info", out);
    FILE *f = fopen(p, "r");
    char id[16], src[512];
    long off;
    double snr, gain;
    int lines = 0;
    while (fscanf(f, "%15s %511s %ld %lf %lf", id, src, &off, &snr, &gain) == 5) {
        ck_assert(!strncmp(src, "babble:", 7));
        int talkers = 0;
        for (char *t = strtok(src + 7, ","); t; t = strtok(NULL, ",")) {
            ck_assert_str_ne(t, id);
            talkers++;
        }
        ck_assert_int_eq(talkers, 5); /* all the others */
        lines++;
    }
    fclose(f);
    ck_assert_int_eq(lines, NUTT);
    o.talkers = 6; /* more than the others */
    ck_assert_int_eq(noise_corrupt_dir(test_io(), in, test_path("babble2"), &o, &st), -1);
}
END_TEST

START_TEST(reverberation_keeps_the_tail)
{
    const char *in = make_dir("clean4");
    noise_options o = {.type = NOISE_REVERB, .rt60 = 0.3, .seed = 1};
    noise_stats st;
    char *out = test_path("rev");
    ck_assert_int_eq(noise_corrupt_dir(test_io(), in, out, &o, &st), 0);
    audio a;
    char p[600];
    snprintf(p, sizeof p, "%s/wav/u2.wav", out);
    ck_assert_int_eq(audio_read(p, 0, &a), 0);
    /* u2 is 1.0 s; the synthetic RIR has 0.3 * rate + 1 taps. */
    ck_assert_uint_eq(a.n, (size_t)(RATE * 1.0) + (size_t)(0.3 * RATE));
    audio_free(&a);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("noise_dir");
    TCase *tc = tcase_create("noise_dir");
    tcase_add_test(tc, snr_of_the_written_file_matches_noise_info);
    tcase_add_test(tc, same_seed_same_bytes_and_existing_output_is_kept);
    tcase_add_test(tc, babble_never_uses_the_utterance_itself);
    tcase_add_test(tc, reverberation_keeps_the_tail);
    suite_add_tcase(s, tc);
    return s;
}
