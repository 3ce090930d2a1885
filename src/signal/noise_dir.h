/* noise_dir.h — corrupt a whole data directory with noise (`asr noise`).
 *
 * Every utterance of IN is read at its own rate, mixed with noise at an SNR
 * drawn uniformly from [snr_lo, snr_hi] (noise.h: exact over speech-active
 * frames, the mixture scaled, never clipped), and written as 16-bit WAV to
 * OUT/wav/ID.wav. OUT gets wav.scp (absolute paths), text, utt2spk, phones
 * when IN has them, and noise_info, one line per utterance:
 *   ID SOURCE OFFSET SNR_DB GAIN
 * SOURCE is the noise file, "white"/"pink"/"brown", "babble:ID1,ID2,…" (the
 * talkers), or "rir:FILE" / "rt60:SECONDS" for reverberation (SNR_DB "-");
 * OFFSET the first noise sample used (looped files); GAIN the factor the
 * mixture was scaled by to stay below full scale (1 when it was not).
 *
 * Reproducible: utterance i draws from a generator seeded by (seed, i), so
 * the output is the same for any thread count. Atomic: everything is written
 * to OUT.tmp (out_dir.h: locked, so a second run writing the same OUT fails
 * at once; left over by a killed run, removed by the next) and renamed into
 * place at the end; an existing OUT is refused unless force is set, and even
 * then replaced only once the new one is complete, and never when it holds
 * any of the inputs (IN, its audio, noise files, the impulse response). The
 * inputs join the command's io_set (base/io_set.h), and OUT's files are
 * declared there as outputs, so no other output of the command is one of
 * them (asr noise --stats OUT/noise_info).
 * Inputs are checked first: a silent or over-long impulse response, an SNR
 * range that is not finite or beyond the bounds below, are refused.
 */
#ifndef ASR_NOISE_DIR_H
#define ASR_NOISE_DIR_H

#include "base/io_set.h"

#include <stdint.h>

/* Bounds of the options, said in the errors: SNRs beyond them are not noise
 * conditions anyone records in; a room's reverberation dies out within a few
 * seconds, so a longer "impulse response" is some other recording. */
#define NOISE_MIN_SNR_DB      (-50.0)
#define NOISE_MAX_SNR_DB      100.0
#define NOISE_MAX_TALKERS     64
#define NOISE_MAX_RIR_SECONDS 10.0

typedef enum {
    NOISE_FILE,
    NOISE_WHITE,
    NOISE_PINK,
    NOISE_BROWN,
    NOISE_BABBLE,
    NOISE_REVERB
} noise_type;

typedef struct {
    noise_type type;
    char **files; /* NOISE_FILE: noise recordings */
    int nfiles;
    double snr_lo, snr_hi;
    int talkers;     /* NOISE_BABBLE */
    const char *rir; /* NOISE_REVERB: impulse response file, or NULL for rt60 */
    double rt60;     /* NOISE_REVERB: synthetic room, seconds */
    uint64_t seed;
    int threads;        /* 0 = all cores */
    const char *suffix; /* appended to utterance ids ("" or NULL: none) */
    int force;
} noise_options;

/* Add the noise recordings one --noise-files argument names: an audio
 * file, a directory (every .wav/.flac/.ogg in it, sorted) or a list file
 * (.txt/.list/.scp, one path per line, or "id path"). -1 naming what is
 * missing. */
int noise_options_add_files(noise_options *o, const char *arg);
void noise_options_free(noise_options *o);

/* Parse "file", "white", … , the value of option WHAT; -1 with an error
 * (and the closest type) when unknown. */
int noise_type_parse(const char *what, const char *name, noise_type *type);

typedef struct {
    int utterances;
    double seconds; /* of audio written */
} noise_stats;

/* IN to OUT, an output directory of IO. */
int noise_corrupt_dir(io_set *io, const char *in, const char *out, const noise_options *o,
                      noise_stats *st);

#endif
