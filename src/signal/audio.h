/* audio.h — reading and writing audio.
 *
 * Reads anything libsndfile reads (WAV, FLAC, OGG/Vorbis, …; any rate, any
 * channel count) into mono float in [-1, 1] at a requested rate: channels are
 * averaged, and the rate is converted with libsamplerate's medium-quality
 * sinc converter (see audio.c for why not the best). Writes 16-bit PCM WAV atomically (temporary
 * file, then rename).
 *
 * Every failure (missing, unreadable, corrupt, zero-length or absurdly long
 * audio, a rate that cannot be converted, a sample that is not a finite
 * number within AUDIO_MAX_ABS, a path that is not a regular file: a FIFO
 * would block, a device never end) returns -1 with a message naming the
 * file; see error.h.
 */
#ifndef ASR_AUDIO_H
#define ASR_AUDIO_H

#include "signal/endpoint.h"
#include "text/corpus.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Longest audio accepted by audio_read, in seconds. Speech corpora are cut
 * into utterances; an hour-long file is a mistake (or a corrupt header). */
#define AUDIO_MAX_SECONDS 3600.0
/* What else a file may claim: rates from telephone-band sensors to studio
 * 384 kHz, channel counts of microphone arrays, and at most 2^28 samples in
 * all channels together (1 GiB of floats; an hour of 48 kHz mono is 1.7e8). */
#define AUDIO_MIN_RATE     1000
#define AUDIO_MAX_RATE     384000
#define AUDIO_MAX_CHANNELS 64
#define AUDIO_MAX_SAMPLES  (1 << 28)
/* Largest sample magnitude accepted. Integer formats come out within +-1;
 * float files may hold any value, and NaN, Inf or 1e38 would turn every
 * feature into NaN. 65536 admits floats scaled like 16-bit integers. */
#define AUDIO_MAX_ABS 65536.0f
/* Most bytes one recording read from a stream may take when its format does
 * not say how many an hour takes (compressed audio); 2^28 16-bit samples
 * and more. */
#define AUDIO_MAX_STREAM_BYTES ((size_t)1 << 30)

typedef struct {
    float *x; /* n mono samples in [-1, 1] */
    size_t n;
    int rate;        /* samples per second */
    int source_rate; /* the recording's own rate (rate unless it was resampled) */
} audio;

/* Read PATH as mono float at RATE Hz (RATE = 0 keeps the file's own rate). */
int audio_read(const char *path, int rate, audio *out);

/* Only [START, END) seconds of it (END < 0: to the end; an END up to 0.1 s
 * past the end is clipped): a segment of a longer recording, read without
 * reading the rest. The length limit applies to the span. */
int audio_read_span(const char *path, double start, double end, int rate, audio *out);

/* The audio of a data directory's utterance: its file, or its segment of a
 * recording (corpus.h). */
int audio_read_utt(const corpus_utt *u, int rate, audio *out);

/* The same from a whole file's bytes in memory (e.g. read from standard
 * input: WAV, FLAC, OGG, ... from its header); NAME is used in messages. */
int audio_read_buffer(const char *name, const void *data, size_t len, int rate, audio *out);

/* Headerless PCM: little-endian 16-bit integers or 32-bit floats, mono, at
 * FROM Hz; converted to RATE (0 keeps FROM). A trailing partial sample is
 * ignored (audio_read_stream warns of it). */
typedef enum { AUDIO_S16LE, AUDIO_F32LE } audio_encoding;
/* "s16le" or "f32le", the value of option WHAT (for the message). */
int audio_parse_encoding(const char *what, const char *s, audio_encoding *e);

/* One recording's bytes from stream FP (standard input, a pipe) named NAME,
 * for audio_read_raw (RAW: headerless PCM in ENC at RATE Hz) or else
 * audio_read_buffer, into *DATA (malloc'd) of *LEN bytes. The length limit
 * is checked as the bytes arrive, so an endless stream fails having taken
 * no more than the longest audio's bytes: headerless PCM, AUDIO_MAX_SECONDS
 * at RATE; a file whose header (in its first 64 KiB) gives its bytes per
 * sample, AUDIO_MAX_SECONDS of them and 1 MiB of header and chunks; any
 * other file, AUDIO_MAX_STREAM_BYTES. Bytes that begin no format libsndfile
 * reads are refused when the first 64 KiB are in. A stream of headerless
 * PCM that ends in a partial sample is read, with a warning (asr_log)
 * naming NAME and the stray bytes. */
int audio_read_stream(FILE *fp, const char *name, int raw, audio_encoding enc, int rate,
                      unsigned char **data, size_t *len);

/* The warning (asr_log) that NAME's headerless PCM in ENC ends in BYTES % the
 * sample width stray bytes, when it does (BYTES: the stream's length, or
 * what was left after its whole samples). */
void audio_warn_partial_sample(const char *name, uint64_t bytes, audio_encoding enc);

/* N samples of headerless PCM BYTES in ENC as floats into X (unchecked). */
void audio_decode_pcm(const void *bytes, size_t n, audio_encoding enc, float *x);

/* -1 naming NAME and the sample (its index in the stream: FIRST + i) when
 * one of X[0..n) is not finite or beyond AUDIO_MAX_ABS: the check every
 * reader of outside audio applies. */
int audio_check_samples(const char *name, const float *x, size_t n, uint64_t first);
/* -1 naming NAME when N samples at RATE Hz (> 0) are more than one
 * recording may hold: AUDIO_MAX_SECONDS, or AUDIO_MAX_SAMPLES at any rate.
 * Checked before the samples are read, converted or copied. */
int audio_check_length(const char *name, size_t n, int rate);
int audio_read_raw(const char *name, const void *data, size_t len, audio_encoding enc, int from,
                   int rate, audio *out);

/* Resample N samples from rate FROM to rate TO (libsamplerate SRC_SINC_MEDIUM_QUALITY).
 * On success *out is a new buffer of *nout samples. FROM == TO copies. */
int audio_resample(const float *in, size_t n, int from, int to, float **out, size_t *nout);

/* Write N samples at RATE as 16-bit mono WAV, atomically, to PATH, an output
 * of IO. Samples outside [-1, 1] are an error (callers scale, they never
 * hard-clip). */
int audio_write_wav(const io_set *io, const char *path, const float *x, size_t n, int rate);
/* The same WAV file's bytes in memory: *BYTES (malloc'd) of *LEN bytes;
 * NAME stands for it in messages. */
int audio_encode_wav(const char *name, const float *x, size_t n, int rate, unsigned char **bytes,
                     size_t *len);

void audio_free(audio *a);

/* What was cut from a recording, for moving times in it back: N places,
 * AT[i] seconds into the cut recording, where LEN[i] seconds were taken out
 * (AT ascending). */
#define AUDIO_MAX_CUTS ENDPOINT_MAX_CUTS
typedef struct {
    int n;
    double at[AUDIO_MAX_CUTS], len[AUDIO_MAX_CUTS];
    double lead; /* seconds of quiet added before the first sample */
} audio_cuts;

/* A with its long quiet cut out, as the default endpointer judges it
 * (signal/endpoint.h endpoint_quiet_cuts: the silence before and after its
 * words, and long pauses between them, shortened), and quiet added before a
 * word cut tight at its start; *K (may be NULL) says what was cut and
 * added. */
void audio_cut_quiet(audio *a, audio_cuts *k);

/* A with the sample ranges C gives (endpoint_quiet_cuts of A's samples)
 * cut out, and C->LEAD samples of quiet (faint noise as audio_pad_quiet's,
 * seeded by the number of samples A has left) added before them; *K (may
 * be NULL) says what was cut and added. */
void audio_cut(audio *a, const endpoint_cuts *c, audio_cuts *k);

/* T, a time in seconds in a recording cut as K says, moved to the
 * recording's own time (a time in the added lead is its first sample).
 * END_OF_SPAN: T ends a span (a word's end), so a cut right at T lies after
 * it. */
double audio_uncut_time(const audio_cuts *k, double t, int end_of_span);

/* Quiet around a recording, for decoding a word cut tight to its edges as
 * the models heard words in training, with silence around them: SECONDS of
 * faint Gaussian noise (AUDIO_QUIET_RMS, -64 dBFS: a quiet room through a
 * 16-bit converter, not digital zero, which no microphone gives) before and
 * after A's samples, from a generator seeded by SEED (the same samples every
 * run). A's samples in between are unchanged. */
#define AUDIO_QUIET_RMS (20.0f / 32768.0f)
void audio_pad_quiet(audio *a, double seconds, uint64_t seed);

#endif
