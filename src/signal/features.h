/* features.h — acoustic features: log-mel filterbank ("fbank") and MFCC.
 *
 * The classic front end, with Kaldi's conventions where they matter:
 *
 *   frames     frame_ms windows every hop_ms (25/10 ms); only whole frames
 *              ("snip edges"): T = 1 + floor((n - L) / H) for n >= L, else 0,
 *              where L and H are the frame and hop lengths in samples.
 *   dither     x += dither * N(0,1) / 32768 (dither in 16-bit units), from a
 *              seeded generator so features are reproducible; 0 = off.
 *   DC         the frame's mean is removed.
 *   preemph    y[i] = x[i] - a x[i-1], y[0] = x[0] - a x[0].
 *   window     Hamming 0.54 - 0.46 cos(2 pi i / (L-1)), or Povey's
 *              (0.5 - 0.5 cos(2 pi i / (L-1)))^0.85 (a Hann that does not
 *              reach zero at the edges).
 *   spectrum   |FFT|^2 of the frame zero-padded to the next power of two
 *              (FFTW single-precision r2c, one plan made once and reused).
 *   mel        num_mel triangular filters equally spaced on the mel scale
 *              mel(f) = 1127 ln(1 + f / 700) between low_hz and high_hz
 *              (high_hz <= 0 means the Nyquist frequency, so 8 kHz audio
 *              works with the same configuration as 16 kHz audio).
 *   log        fbank[m] = ln(max(energy, FLT_EPSILON)).
 *   MFCC       c[k] = sqrt(2/M) sum_m fbank[m] cos(pi k (m + 1/2) / M) with
 *              c[0] scaled by sqrt(1/M) instead (orthonormal DCT-II), then
 *              liftered: c[k] *= 1 + (Q/2) sin(pi k / Q).
 *   deltas     d[t] = sum_{n=1..N} n (c[t+n] - c[t-n]) / (2 sum n^2), N = 2,
 *              edges replicated; delta-deltas are deltas of deltas. The
 *              output row is [static | delta | delta-delta].
 *   CMVN       per utterance, per dimension: (x - mean) / stddev (stddev
 *              floored at 1e-5); applied last, to the full row.
 *
 * The configuration is also a short text ("key=value" lines) stored in model
 * files and feature archives, so a model always computes the features it was
 * trained on; its keys, ranges and text are recognizer/options.h's.
 */
#ifndef ASR_FEATURES_H
#define ASR_FEATURES_H

#include <stddef.h>
#include <stdint.h>

/* Longest frame and hop: speech front ends use 20-40 ms windows; a frame of
 * a fifth of a second is no longer a short-time spectrum. */
#define FEATURES_MAX_FRAME_MS 200.0f

typedef enum { FEATURES_FBANK, FEATURES_MFCC } features_kind;
typedef enum { WINDOW_HAMMING, WINDOW_POVEY } features_window;

typedef struct {
    features_kind kind;
    int rate;       /* sample rate the audio is converted to */
    float frame_ms; /* 25 */
    float hop_ms;   /* 10 */
    float dither;   /* 16-bit units; 0 = off */
    uint64_t seed;  /* dither generator seed (mixed with the utterance's index) */
    float preemph;  /* 0.97 */
    features_window window;
    int num_mel;   /* mel filters */
    float low_hz;  /* 20 */
    float high_hz; /* <= 0: Nyquist */
    int num_ceps;  /* MFCC: coefficients kept, c0 included */
    float lifter;  /* MFCC: Q, 0 = off */
    int deltas;    /* 0, 1 (deltas) or 2 (deltas and delta-deltas) */
    int cmvn;      /* per-utterance mean and variance normalisation */
} features_config;

/* MFCC, 16 kHz, 25/10 ms, 0.97, Povey, 23 mel 20 Hz..Nyquist, 13 cepstra,
 * lifter 22, no deltas, no CMVN, no dither. */
void features_config_default(features_config *c);

/* Static dimension (num_mel or num_ceps) times 1 + deltas. */
int features_dim(const features_config *c);

/* Frames for N samples (exact, see the header comment). */
int features_num_frames(const features_config *c, size_t n);

/* -1 with a message ("12.5 ms of audio is shorter than one 25 ms frame")
 * when N samples at the configuration's rate give no frame: an utterance
 * with nothing to recognise or learn from is an error, not empty output. */
int features_require_frame(const features_config *c, size_t n);

/* Check ranges; -1 with a message naming the bad field. */
int features_config_check(const features_config *c);

/* An extractor owns the FFT plan, window and filterbank for one config.
 * Not thread-safe: use one per thread (creation is serialised internally). */
typedef struct features_extractor features_extractor;

features_extractor *features_create(const features_config *c);
void features_destroy(features_extractor *fx);

/* Features of X (N samples at the config's rate). On success *OUT is a new
 * [*T][features_dim] row-major array (NULL when *T = 0). INDEX seeds the
 * dither (pass the utterance's index). */
int features_compute(features_extractor *fx, const float *x, size_t n, uint64_t index, float **out,
                     int *T);

/* Vocal tract length perturbation (VTLP; Jaitly & Hinton 2013): from now on
 * FX's filterbank reads the spectrum at warped frequencies W(f), as if the
 * speaker's vocal tract were shorter (ALPHA > 1) or longer (ALPHA < 1):
 *   W(f) = ALPHA f                                  for f <= b
 *        = ALPHA b + (S - ALPHA b) (f - b) / (S - b)  above,
 * with S the Nyquist frequency and b = 0.8 S min(ALPHA, 1) / ALPHA, so
 * formants move by the factor while the band's edges stay (W(0) = 0,
 * W(S) = S). ALPHA = 1 (the default) is no warp: features are bit for bit
 * those of an unwarped extractor. ALPHA is clamped to [0.5, 2]. */
void features_set_warp(features_extractor *fx, double alpha);
double features_warp_hz(double f, double alpha, double nyquist);

/* Building blocks, public so tests can check them against direct sums. */

/* Orthonormal DCT-II of IN[M] into OUT[K] (K <= M), by the cosine table. */
void features_dct(const float *in, int M, float *out, int K);

/* OUT[T][D] = regression deltas (N = 2) of IN[T][D] along time; rows may be
 * strided: IN row t starts at in + t*in_stride, likewise out. */
void features_deltas(const float *in, int in_stride, float *out, int out_stride, int T, int D);

/* In place: each of the D columns of X[T][D] to zero mean and unit variance. */
void features_cmvn(float *x, int T, int D);

/* Centre frequency (Hz) of mel filter M (0-based) of configuration C at its
 * rate. */
double features_mel_center_hz(const features_config *c, int m);

#endif
