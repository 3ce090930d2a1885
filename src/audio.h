/* audio.h — reading and writing audio.
 *
 * Reads anything libsndfile reads (WAV, FLAC, OGG/Vorbis, …; any rate, any
 * channel count) into mono float in [-1, 1] at a requested rate: channels are
 * averaged, and the rate is converted with libsamplerate's best sinc
 * converter. Writes 16-bit PCM WAV atomically (temporary file, then rename).
 *
 * Every failure (missing, unreadable, corrupt, zero-length or absurdly long
 * audio, a rate that cannot be converted) returns -1 with a message naming the
 * file; see error.h.
 */
#ifndef ASR_AUDIO_H
#define ASR_AUDIO_H

#include <stddef.h>

/* Longest audio accepted by audio_read, in seconds. Speech corpora are cut
 * into utterances; an hour-long file is a mistake (or a corrupt header). */
#define AUDIO_MAX_SECONDS 3600.0

typedef struct {
    float *x; /* n mono samples in [-1, 1] */
    size_t n;
    int rate; /* samples per second */
} audio;

/* Read PATH as mono float at RATE Hz (RATE = 0 keeps the file's own rate). */
int audio_read(const char *path, int rate, audio *out);

/* Resample N samples from rate FROM to rate TO (libsamplerate SRC_SINC_BEST_QUALITY).
 * On success *out is a new buffer of *nout samples. FROM == TO copies. */
int audio_resample(const float *in, size_t n, int from, int to, float **out, size_t *nout);

/* Write N samples at RATE as 16-bit mono WAV, atomically. Samples outside
 * [-1, 1] are an error (callers scale, they never hard-clip). */
int audio_write_wav(const char *path, const float *x, size_t n, int rate);

void audio_free(audio *a);

#endif
