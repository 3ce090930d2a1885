/* confidence.h — how good word confidences are, against the truth of an
 * alignment: what `asr calibrate` fits and measures (recognizer/calibrate.h)
 * and what `asr eval` reports per split (recognizer/eval.h).
 *
 *   right   a hypothesis word is right when the alignment of the hypothesis
 *           to its reference (metrics.h) marks it correct, wrong otherwise
 *           (a substitution or an insertion);
 *   AUC     the probability that a right word has a higher confidence than a
 *           wrong one (ties count half): the Mann-Whitney statistic, from
 *           the ranks of the right words among all;
 *   bins    CONF_BINS equal-width bins of the confidence p in [0, 1] (bin b
 *           holds b/10 <= p < (b+1)/10, p = 1 in the last): each with its
 *           words, their mean confidence and the fraction of them right;
 *   ECE     expected calibration error: sum over bins of n_b / N times
 *           |mean confidence_b - accuracy_b|;
 *   WER after rejecting a fraction F of the words: the k = round(F * N) words
 *           of lowest confidence among the N hypothesis words of all the
 *           utterances (ties: the earlier utterance, then the earlier word,
 *           goes first) are removed from their hypotheses, and the WER is
 *           computed anew against the references (S + D + I over the
 *           reference words). A rejected right word thus becomes a deletion;
 *           a rejected inserted word removes an insertion; a rejected
 *           substituted word turns a substitution into a deletion (no
 *           change) unless the new alignment finds a cheaper path. It is
 *           what an application that drops unsure words would get, and it
 *           can be above the plain WER when the confidence is poor.
 */
#ifndef ASR_TEXT_CONFIDENCE_H
#define ASR_TEXT_CONFIDENCE_H

#define CONF_BINS 10

typedef struct {
    double lo, hi;          /* the bin's confidence range */
    int n;                  /* its words */
    double mean_confidence; /* NAN when empty */
    double accuracy;        /* fraction right; NAN when empty */
} conf_bin;

typedef struct {
    int words, right;
    double auc; /* NAN without both right and wrong words */
    double ece; /* NAN without words */
    conf_bin bins[CONF_BINS];
} conf_quality;

/* The quality of confidences P[0..n) in [0, 1] (clamped) of words that are
 * right where RIGHT[i] is non-zero. */
void conf_quality_measure(const double *p, const int *right, int n, conf_quality *q);

/* Align HYP to REF by words (metrics.h) and mark the first N words of HYP
 * in RIGHT[0..n): 1 when aligned as correct, else 0. *NREF gets REF's
 * words, *ERRORS the alignment's S + D + I; returns how many words HYP
 * has. */
int conf_right_words(const char *ref, const char *hyp, int *right, int n, int *nref, int *errors);

/* One utterance: its reference, its hypothesis, and CONF[i] the confidence
 * of the hypothesis's i-th word (NCONF of them: as many as the words of
 * HYP). */
typedef struct {
    const char *ref, *hyp;
    const float *conf;
    int nconf;
} conf_utt;

/* The WER (%) of U[0..n) once the fraction FRAC in [0, 1] of their
 * hypothesis words with the lowest confidence is rejected (see above);
 * NAN without reference words. */
double conf_reject_wer(const conf_utt *u, int n, double frac);

#endif
