/* fuzz_wav.c — audio files through libsndfile into features (src/signal/audio.h,
 * src/signal/features.h): the input is written to a scratch file, read with
 * audio_read at 16000 Hz (any format libsndfile knows, any rate and channel
 * count, resampled), and turned into features with one of three
 * configurations (the input's hash picks): the default, MFCC + deltas +
 * delta-deltas + CMVN + dither, and a 40-filter fbank. Every feature must be
 * a finite number, and there must be as many frames as features_num_frames
 * says. The same bytes read from memory (audio_read_buffer: what `asr decode
 * -` does with standard input) must give the same result as the file, and as
 * raw 16-bit PCM they must always be audio. */
#include "fuzz_common.h"

#include "signal/audio.h"
#include "signal/features.h"

#include <math.h>
#include <string.h>

static void features(const features_config *c, const audio *a)
{
    features_extractor *fx = features_create(c);
    if (!fx) {
        fprintf(stderr, "fuzz_wav: features_create: %s\n", asr_last_error());
        abort();
    }
    float *out = NULL;
    int T = 0;
    int rc = features_compute(fx, a->x, a->n, 0, &out, &T);
    rc == 0 ? fuzz_note("features") : fuzz_refused("features refused");
    if (rc == 0) {
        if (T != features_num_frames(c, a->n)) {
            fprintf(stderr, "fuzz_wav: %d frames of %zu samples, features_num_frames says %d\n", T,
                    a->n, features_num_frames(c, a->n));
            abort();
        }
        size_t m = (size_t)T * (size_t)features_dim(c);
        for (size_t i = 0; i < m; i++)
            if (!isfinite(out[i])) {
                fprintf(stderr, "fuzz_wav: feature %zu of %zu is %g\n", i, m, (double)out[i]);
                abort();
            }
        free(out);
    }
    features_destroy(fx);
}

/* The file and the memory reader agree on every input. */
static void same_from_memory(const uint8_t *data, size_t size, const audio *file, int file_ok)
{
    audio m;
    int ok = audio_read_buffer("in", data, size, 16000, &m) == 0;
    if (ok != file_ok || (ok && (m.n != file->n || memcmp(m.x, file->x, m.n * sizeof *m.x)))) {
        fprintf(stderr, "fuzz_wav: audio_read %s, audio_read_buffer %s (%zu vs %zu samples)\n",
                file_ok ? "read it" : "refused it", ok ? "read it" : "refused it",
                file_ok ? file->n : 0, ok ? m.n : 0);
        abort();
    }
    if (ok) audio_free(&m);
}

static void raw_pcm(const uint8_t *data, size_t size)
{
    audio r;
    int rc = audio_read_raw("raw", data, size, AUDIO_S16LE, 8000, 16000, &r);
    if (size >= 2 && rc < 0) {
        fprintf(stderr, "fuzz_wav: %zu bytes of raw PCM refused: %s\n", size, asr_last_error());
        abort();
    }
    if (rc == 0) {
        for (size_t i = 0; i < r.n; i++)
            if (!isfinite(r.x[i])) abort();
        audio_free(&r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    char path[128];
    fuzz_path(path, "in.wav");
    fuzz_write(path, data, size);
    audio a;
    int file_ok = audio_read(path, 16000, &a) == 0;
    same_from_memory(data, size, &a, file_ok);
    raw_pcm(data, size);
    if (!file_ok) {
        fuzz_refused("audio refused");
        return 0;
    }
    fuzz_note("audio read");
    if (a.rate != 16000) {
        fprintf(stderr, "fuzz_wav: asked for 16000 Hz, got %d\n", a.rate);
        abort();
    }
    /* One configuration per input (chosen by the input), to keep executions
     * cheap: the default; MFCC + deltas + delta-deltas + CMVN + dither; fbank. */
    features_config c;
    features_config_default(&c);
    switch (fuzz_hash(data, size) % 3) {
    case 0:
        break;
    case 1:
        c.kind = FEATURES_MFCC;
        c.deltas = 2;
        c.cmvn = 1;
        c.dither = 1.0f;
        break;
    default:
        c.kind = FEATURES_FBANK;
        c.num_mel = 40;
        c.window = WINDOW_HAMMING;
        break;
    }
    features(&c, &a);
    audio_free(&a);
    return 0;
}
