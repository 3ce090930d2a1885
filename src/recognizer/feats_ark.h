/* feats_ark.h — feature archives: what `asr features` writes.
 *
 * An archive is a model-file container (model_file.h: magic, version,
 * sections, CRC-32, written atomically), so it shares that format's damage
 * checks. Its sections:
 *   "content"   text "features"  (tells an archive from a model)
 *   "features"  text: the features_config that made it (features.h)
 *   "dim"       u32: values per frame
 *   "utt:ID"    one per utterance, in corpus order: u32 T, then T*dim float32
 *               (row-major, frame after frame)
 */
#ifndef ASR_FEATS_ARK_H
#define ASR_FEATS_ARK_H

#include "base/progress.h"
#include "text/corpus.h"
#include "signal/audio.h"
#include "signal/features.h"

typedef struct {
    char *id;
    int T;    /* frames */
    float *x; /* [T][dim] */
} feats_utt;

typedef struct {
    features_config config;
    int dim;
    feats_utt *utts;
    int n;
} feats_ark;

/* The audio of utterance U, read and converted to CFG's rate, into A; -1
 * with a message naming its file when it cannot be read or gives no whole
 * feature frame. The one check of an utterance's audio: every reader of a
 * data directory's audio (features, training, decoding, asr eval) applies
 * it, and so does `asr data validate --check-audio`, which has no model and
 * so no rate to convert to: a CFG rate of 0 keeps the file's own (the frame
 * is as many milliseconds long, and nothing is resampled). */
int feats_read_utt_audio(const features_config *cfg, const corpus_utt *u, audio *a);

/* Features of every utterance of corpus C (audio read and converted to the
 * configuration's rate), THREADS at a time (OpenMP; <= 0 = all cores), in
 * corpus order; the result does not depend on the thread count. WARP, when
 * not NULL, gives each utterance's VTLP factor (features_set_warp). Optional
 * *AUDIO_SECONDS receives the total audio duration. On failure (-1) the
 * message names the utterance and file. */
int feats_ark_compute(const corpus *c, const features_config *cfg, int threads, const float *warp,
                      feats_ark *out, double *audio_seconds);

/* The same for the utterances [LO, HI) of C only (every utterance gets its
 * id; the others no frames): one MPI rank's share (base/parallel.h). Each
 * utterance's features (its dither) depend on its index in C, not on the
 * range, so the shares together are the whole. PADDED, when not NULL,
 * receives from the same audio the features of each utterance with PAD
 * seconds of quiet before and after it (audio_pad_quiet, seeded by its
 * index; not warped). CUTS, when not NULL: each utterance's long quiet is
 * cut out first (signal/audio.h audio_cut_quiet), CUTS[i] saying what was
 * cut from utterance i (*AUDIO_SECONDS still counts whole recordings). PR
 * (may be NULL) is stepped after each utterance (base/progress.h). */
int feats_ark_compute_range(const corpus *c, const features_config *cfg, int threads,
                            const float *warp, int lo, int hi, feats_ark *out, double pad,
                            feats_ark *padded, audio_cuts *cuts, double *audio_seconds,
                            progress *pr);

/* A to PATH, an output of IO. */
int feats_ark_write(const io_set *io, const char *path, const feats_ark *a);

typedef struct {
    int utterances, dim;
    long frames;
    double audio_seconds, compute_seconds, write_seconds;
} feats_ark_stats;

/* What `asr features` does: the features of data directory DIR under CFG,
 * THREADS at a time, into the archive at PATH, an output of IO (DIR's files
 * and audio join its inputs: PATH is none of them).
 * Under MPI each rank computes its share of the utterances and rank 0 alone
 * writes PATH, the same bytes as one process; ST is complete on rank 0. */
int feats_ark_make_file(io_set *io, const char *dir, const features_config *cfg, int threads,
                        const char *path, feats_ark_stats *st);

/* Read PATH; -1 with a message naming the file on any damage (bad magic,
 * checksum, truncation, a record whose size does not match its frame count). */
int feats_ark_read(const char *path, feats_ark *a);

void feats_ark_free(feats_ark *a);

#endif
