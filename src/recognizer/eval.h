/* eval.h — per-split evaluation, the bias/variance/mismatch decomposition,
 * satisficing thresholds, error analysis, and the reports.
 *
 * Definitions (DESIGN.md "Evaluation"), with error rates in percent:
 *   avoidable bias      = WER(train) - bayes
 *   variance            = WER(train_dev) - WER(train)
 *   data mismatch       = WER(dev) - WER(train_dev)
 *   over-tuning to dev  = WER(test) - WER(dev)
 * The largest of the four names what to work on next (eval_knobs lists the
 * knobs for each). WER is the optimizing metric; real-time factor,
 * 95th-percentile latency and model size are satisficing: the model chosen
 * is the lowest WER among those within every threshold given, and only
 * when none is, the lowest WER with its misses named (eval_choose). Time
 * thresholds are judged on CPU time, which a loaded machine does not
 * stretch as it stretches wall-clock time (both are reported). The reports
 * themselves are report/reports.h's.
 */
#ifndef ASR_EVAL_H
#define ASR_EVAL_H

#include "pipelines/pipeline.h"
#include "text/bootstrap.h"
#include "text/confidence.h"
#include "text/metrics.h"

#include <stdio.h>

/* One utterance as scored. */
typedef struct {
    char *id, *speaker, *wav, *ref, *hyp;
    double start, end;   /* its span of WAV in seconds (corpus.h; 0 and -1: all of it) */
    int errors, nref;    /* word errors and reference words */
    float *conf;         /* the confidence of each word of HYP (NCONF of them) */
    int nconf, has_conf; /* HAS_CONF 0: not known (scored from hypotheses) */
} eval_utt;

typedef struct {
    char *name; /* train, train_dev, dev, test, ... */
    error_counts words, chars, phones;
    int has_phones;
    double audio_seconds, decode_seconds; /* decode_seconds < 0: not timed */
    double cpu_seconds;                   /* CPU time of the decoding (base/clock.h) */
    double lat_p50_ms, lat_p95_ms;        /* wall-clock time per utterance */
    double cpu_p50_ms, cpu_p95_ms;        /* CPU time per utterance */
    eval_utt *utts;
    int n;
} eval_split;

/* Score HYP (may be NULL for a missing one) against REF, utterance ID of
 * SPEAKER (from utt2spk; NULL or "" when unknown), all of audio file WAV
 * (set the last utterance's start and end for a segment of it), into S: words,
 * characters, and phones when REF_PHONES and HYP_PHONES are given. -1 (S
 * unchanged) when an utterance is too long to align (metrics.h,
 * METRICS_MAX_TOKENS). */
int eval_split_add(eval_split *s, const char *id, const char *speaker, const char *wav,
                   const char *ref, const char *hyp, const char *ref_phones,
                   const char *hyp_phones);
void eval_split_free(eval_split *s);
/* The confidences CONF[0..n) of the words of the last utterance added to S
 * (the recognizer's, calibrated as the model says: recognizer/reject.h).
 * Ignored unless N is the number of words of its hypothesis. */
void eval_utt_set_confidences(eval_split *s, const float *conf, int n);

/* How good the word confidences of a split are (text/confidence.h): AUC of
 * right against wrong words, calibration bins and error, and the WER once
 * the 5% and the 10% of hypothesis words with the lowest confidence are
 * removed from the hypotheses. */
typedef struct {
    conf_quality q;
    double wer_reject_5, wer_reject_10;
} eval_confidence;
/* Into C: 0, or 1 (C unset) when some utterance of S has no confidences. */
int eval_split_confidence(const eval_split *s, eval_confidence *c);
/* One speaker's share of a split: the WER a new user's voice would get is
 * a per-speaker number, and a split's mean hides a speaker who fails. */
typedef struct {
    const char *speaker; /* points into the split; "-" for utterances without one */
    int utts;
    long words, errors; /* reference words and word errors (S + D + I) */
} eval_speaker;
/* The speakers of S sorted by name into *OUT (malloc'd; free() it; NULL
 * when S is empty); returns how many. */
int eval_split_speakers(const eval_split *s, eval_speaker **out);
/* WER of one speaker in percent (NAN without reference words). */
double eval_speaker_wer(const eval_speaker *sp);

/* How sure the WER of S is: its 95% bootstrap interval (text/bootstrap.h),
 * resampling utterances, or with BY_SPEAKER whole speakers (the uncertainty
 * that matters for a new speaker's voice). 1 when it has no meaning (by
 * speaker with fewer than two), -1 with a message on failure (no words). */
int eval_wer_interval(const eval_split *s, int by_speaker, bootstrap_result *r);

/* The paired bootstrap of WER(A) - WER(B) over the same utterances of one
 * split scored for two models. 1 when A and B do not hold the same
 * utterances (in the same order), -1 on failure. */
int eval_paired(const eval_split *a, const eval_split *b, bootstrap_result *r);
/* The split called NAME among S[0..n), or NULL. */
const eval_split *eval_find_split(const eval_split *s, int n, const char *name);
double eval_wer(const eval_split *s);

typedef struct {
    double bias, variance, mismatch, overtuning; /* NAN when a split is missing */
    int largest; /* 0..3 in that order, -1 when none can be computed */
} eval_decomposition;

/* From the splits named train, train_dev, dev and test among S[0..n). */
eval_decomposition eval_decompose(const eval_split *s, int n, double bayes);
const char *eval_gap_name(int which);
/* The knobs that address gap WHICH (one line, comma-separated). */
const char *eval_knobs(int which);

typedef struct {
    double max_rtf, max_latency_ms, max_size_mb; /* <= 0: no threshold */
} eval_thresholds;

typedef struct {
    char *name, *model_path;
    int has_search;          /* 0: scored from hypotheses, no search known */
    pipeline_options search; /* the search it decoded with (the model's, or given) */
    double size_mb;
    eval_split *splits;
    int n;
    char *log_tsv; /* the training log, when the model's directory has one */
} eval_model;

/* The names of the splits of M[0..nm), each once, in order of first
 * appearance, into *NAMES (malloc'd array of pointers into M); returns how many. */
int eval_split_names(const eval_model *m, int nm, const char ***names);
/* The per-speaker table of split SPLIT across models M[0..nm): the
 * speakers (rows) of the first model that has the split into *ROWS, and
 * into *WER (rows x nm, row-major) each model's WER for each speaker, NAN
 * where a model lacks the split or the speaker. Both malloc'd; returns the
 * number of rows (0, both NULL, when no model has the split). */
int eval_speaker_table(const eval_model *m, int nm, const char *split, eval_speaker **rows,
                       double **wer);
/* The timings of a split: real-time factor (decoding seconds per audio
 * second), median and 95th-percentile latency in ms, by the wall clock and
 * in CPU time. */
typedef enum {
    EVAL_RTF,
    EVAL_P50_MS,
    EVAL_P95_MS,
    EVAL_CPU_RTF,
    EVAL_CPU_P50_MS,
    EVAL_CPU_P95_MS
} eval_timing;
/* Timing K of S; NAN when S was not timed (scored from hypotheses). */
double eval_split_timing(const eval_split *s, eval_timing k);
/* The worst (largest) timing K over M's splits; NAN when none was timed
 * (a threshold then takes it as 0). */
double eval_model_timing(const eval_model *m, eval_timing k);

/* One satisficing threshold T sets, and model M's value: its margin is
 * LIMIT - VALUE (negative: missed). Real-time factor and latency are
 * judged on CPU time (EVAL_CPU_RTF, EVAL_CPU_P95_MS). */
typedef struct {
    const char *name;       /* "real-time factor (CPU)", "p95 latency (CPU)", "model size" */
    const char *short_name; /* "CPU RTF", "CPU p95 latency", "size" */
    const char *unit;       /* "", " ms", " MB" */
    int decimals;           /* shown at least: RTF 4, latency 1, size 2 */
    double limit, value;
} eval_threshold_check;
/* V as C shows its values and margins ("0.0500", "100.0 ms", "+7.34 MB"
 * with SIGNED), into BUF of N bytes: the one format of every report. The
 * decimals are C's, or more when C's value differs from its limit by less
 * than they show: a miss by 0.0000464 is "0.05005 > 0.05000", margin
 * "-0.00005", never "-0.0000". */
void eval_threshold_format(const eval_threshold_check *c, double v, int signed_, char *buf,
                           size_t n);
/* Whether C is missed: its value over its limit. */
int eval_threshold_missed(const eval_threshold_check *c);
/* The thresholds T sets (0 to 3, in that order) into OUT; how many. */
int eval_threshold_checks(const eval_model *m, const eval_thresholds *t,
                          eval_threshold_check out[3]);
/* How many thresholds T sets. */
int eval_thresholds_set(const eval_thresholds *t);
/* Misses of model M against T as text ("CPU RTF 0.0200 > 0.0100; ..."), or
 * NULL when it meets every threshold (a new string). */
char *eval_misses(const eval_model *m, const eval_thresholds *t);

/* The model the reports recommend, and on what grounds: the one verdict
 * that report.md, report.json and report.html each state. */
typedef struct {
    int model;         /* its index; -1 when no model has the split */
    const char *split; /* chosen by: "dev" when some model has it, else "test"; NULL: neither */
    int meets;         /* 1: it meets every threshold (or none is set); 0: no model with
                          the split does, and it is chosen by WER alone */
} eval_choice;
/* The lowest WER on the deciding split (dev, else test: test is not looked
 * at for choosing when there is a dev) among the models that have it and
 * meet every threshold of T; when none meets them, the lowest WER among
 * all that have it (MEETS 0: say its misses). Ties go to the first. */
eval_choice eval_choose(const eval_model *m, int nm, const eval_thresholds *t);

/* Whether split S of model M is one the reports analyse (confusions) and
 * compare models on: dev when M has one, else every split but train and
 * train_dev (leave-one-speaker-out's isolated and connected, say). */
int eval_analysed_split(const eval_model *m, const eval_split *s);

/* One comparison the reports make: WER(A) - WER(B) on SPLIT, paired. */
typedef struct {
    const char *a, *b, *split; /* point into the models */
    bootstrap_result r;
} eval_comparison;

/* The model the reports recommend (eval_choose; the first when none can
 * be chosen) against every other on the splits it is analysed on (dev when
 * it has one, else every split but train and train_dev) that both scored
 * on the same utterances. Returns how many, *OUT malloc'd (free it). */
int eval_comparisons(const eval_model *m, int nm, const eval_thresholds *t, eval_comparison **out);

#endif
