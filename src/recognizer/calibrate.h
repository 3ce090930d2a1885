/* calibrate.h — fitting a model's confidence calibration and its rejection
 * of speech outside the vocabulary on held-out data: what `asr calibrate`
 * does (the keys and what they do: recognizer/reject.h).
 *
 *   DATA  in-vocabulary utterances with transcripts the model never trained
 *         on, decoded without calibration or rejection: each hypothesis word
 *         is right (aligned as correct to the reference, text/metrics.h) or
 *         wrong; Platt scaling p = sigmoid(a logit(c) + g gap + b) is fitted
 *         to that by maximum likelihood (Newton's method, a small ridge);
 *   OOV   utterances with no in-vocabulary word: the operating point is the
 *         pair (reject_gap, reject_confidence) whose false-accept rate (the
 *         fraction of OOV utterances that still give a word) is at most
 *         MAX_FA at the least word error rate on DATA, a rejected utterance
 *         counting its reference words as deleted. reject_confidence ranges
 *         over none and the OOV utterances' calibrated confidences,
 *         reject_gap is then the largest that meets MAX_FA.
 * Without OUT (evaluation), the model's stored calibration and rejection are
 * measured instead. Either way the statistics before (raw confidence, no
 * rejection) and after come back.
 */
#ifndef ASR_RECOGNIZER_CALIBRATE_H
#define ASR_RECOGNIZER_CALIBRATE_H

#include "recognizer/options.h"

typedef struct {
    const char *model;
    const char *data;        /* in-vocabulary data directory with transcripts */
    const char *oov;         /* out-of-vocabulary data directory, or NULL */
    const char *out;         /* the calibrated model; NULL: evaluate MODEL's calibration */
    double max_fa;           /* target false-accept rate in [0, 1] */
    const asr_options *conf; /* search settings, threads, batch_frames */
    io_set *io;              /* OUT is its declared output */
} asr_calibrate_job;

/* Measured with one setting of the keys. */
typedef struct {
    double auc, ece; /* word confidence: right vs wrong words; 10 equal bins */
    double wer;      /* DATA's WER (%), rejected utterances as deletions */
    double fa;       /* OOV utterances with a word (%) (NAN without OOV) */
    int rejected;    /* DATA utterances rejected */
} asr_calibrate_point;

typedef struct {
    int utterances, words, right, oov_utterances;
    asr_calibrate_point before, after;
    pipeline_options fit; /* the keys (NAN: unset) */
} asr_calibrate_stats;

/* Run JOB; -1 with a message naming the culprit. */
int asr_calibrate(const asr_calibrate_job *job, asr_calibrate_stats *st);

/* The Platt fit itself: TH = (a, g, d, b) of
 * p = sigmoid(a logit(c) + g gap + d agree + b) maximising the likelihood of
 * RIGHT[i] (0 or 1) given CONF[i], GAP[i] and AGREE[i] (AGREE NULL: all 0,
 * and d = 0), i < N, with a ridge of 1e-3; public for its tests. */
#define CALIBRATE_PARAMS 4
void calibrate_platt(int n, const float *conf, const float *gap, const float *agree,
                     const int *right, double th[CALIBRATE_PARAMS]);

#endif
