/* noise.h — additive-noise DSP: speech-active power, mixing at an exact SNR,
 * coloured noise generators. Pure functions over float arrays (full scale 1.0).
 *
 * SNR definition used everywhere: frame the speech in 25 ms windows with a
 * 10 ms hop; a frame is active when its mean power is within 40 dB of the
 * loudest frame. With A the union of samples of active frames,
 *   SNR = 10 log10( mean_{t in A} s[t]^2 / mean_{t in A} n[t]^2 )
 * where n is the scaled noise actually added. */
#ifndef ASR_NOISE_H
#define ASR_NOISE_H

#include "base/rng.h"

#include <stddef.h>

/* Peak ceiling of a mixture: below 32767/32768 so 16-bit rounding never
 * reaches full scale. */
#define NOISE_PEAK_CEILING 0.99f

/* Mark speech-active samples of X (N samples at RATE) in ACTIVE (N bytes,
 * 1 = active); returns the number of active samples. */
size_t noise_active_mask(const float *x, size_t n, int rate, unsigned char *active);

/* Mean of x^2 over samples where ACTIVE is set; 0 if none. */
double noise_masked_power(const float *x, size_t n, const unsigned char *active);

/* Mix OUT = g*(S + a*NZ) with a chosen so the SNR (definition above) equals
 * SNR_DB, and g = 1 unless the peak would exceed NOISE_PEAK_CEILING, then
 * g = ceiling/peak (never clipping; SNR unchanged). Writes a and g to
 * *NOISE_SCALE and *GAIN. Returns -1 (asr_error) when the speech has no
 * energy or the noise is silent on the active samples. */
int noise_mix_snr(const float *s, const float *nz, size_t n, int rate, double snr_db, float *out,
                  double *noise_scale, double *gain);

/* Unit-variance noise generators. White: i.i.d. normal. Pink: Voss-McCartney
 * with 16 rows plus a white row (slope about -3 dB/octave). Brown: leaky
 * integration y[t] = 0.998 y[t-1] + w[t] (-6 dB/octave above ~5 Hz at 16 kHz).
 * Each is normalised to unit mean power over the N samples. */
void noise_white(rng_state *r, float *out, size_t n);
void noise_pink(rng_state *r, float *out, size_t n);
void noise_brown(rng_state *r, float *out, size_t n);

/* OUT[i] = SRC[(OFFSET + i) mod NSRC] for i < N: a noise recording looped
 * from OFFSET to cover an utterance. NSRC > 0. */
void noise_loop(const float *src, size_t nsrc, size_t offset, float *out, size_t n);

/* Babble: sum of K talkers. SRCS[j] (length LENS[j]) is looped from a
 * random offset, normalised to unit mean power, and added; talker SELF
 * (the utterance being corrupted; -1 for none) is never chosen. K distinct
 * talkers are drawn among NSRC - (SELF >= 0); their indices go to CHOSEN
 * (K ints). Returns -1 (asr_error) when fewer than K other talkers exist. */
int noise_babble(rng_state *r, const float *const *srcs, const size_t *lens, int nsrc, int self,
                 int k, float *out, size_t n, int *chosen);

/* Synthetic room impulse response of LEN samples at RATE: h[0] = 1 (the
 * direct path) followed by white noise with amplitude envelope
 * exp(-6.9 t / RT60) (60 dB energy decay after RT60 seconds) scaled by 0.3. */
void noise_rir_synth(rng_state *r, double rt60, int rate, float *h, size_t len);

/* Linear convolution OUT = X * H / max|H| by one real FFT (FFTW single
 * precision, r2c/c2r). OUT has N + LEN - 1 samples (the reverberant tail is
 * kept). Dividing by the peak of H preserves the direct-path level when the
 * direct path is the strongest tap. Returns -1 (asr_error) on failure. */
int noise_reverb(const float *x, size_t n, const float *h, size_t len, float *out);

#endif
