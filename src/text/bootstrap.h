/* bootstrap.h — how sure a word error rate is: bootstrap confidence
 * intervals and the paired bootstrap test between two systems.
 *
 * The errors of a test set are not independent word by word: they come in
 * utterances, and utterances come in speakers. So the resampling unit is an
 * utterance, or a group of them (a speaker) when GROUP is given: a WER over
 * 800 words from 4 speakers is as uncertain as its 4 speakers make it.
 * Resample the units with replacement B times; the WER of each resample is
 * sum(errors) / sum(reference words) over the units drawn; the interval is
 * the percentile interval of those WERs (Efron's percentile bootstrap).
 * Paired: both systems' errors on the same draw, so what varies is only which
 * units are drawn, and the difference's interval is far narrower than the
 * two intervals side by side would suggest (Bisani & Ney 2004). */
#ifndef ASR_TEXT_BOOTSTRAP_H
#define ASR_TEXT_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int resamples; /* B (default 1000) */
    double level;  /* of the interval (default 0.95) */
    uint64_t seed; /* of the draws: the same inputs give the same interval */
} bootstrap_config;

void bootstrap_config_default(bootstrap_config *c);

typedef struct {
    double value;  /* on the data as it is, in percent: WER, or WER(A) - WER(B) */
    double lo, hi; /* the interval, in percent */
    double p;      /* paired: two-sided p of "no difference" (1 for one system) */
    int units;     /* utterances, or groups */
} bootstrap_result;

/* ERR_A[i] (and ERR_B[i] for a paired test; NULL for one system) word errors
 * and REF[i] reference words of utterance i of N; GROUP[i] its unit (speaker
 * index 0..), or NULL for one unit per utterance. -1 with a message when
 * there are no reference words or the configuration is out of range. */
int bootstrap_wer(const int *err_a, const int *err_b, const int *ref, const int *group, int n,
                  const bootstrap_config *c, bootstrap_result *r);

/* "p = 0.012", or "p < 0.001" below what 1000 resamples resolve: a
 * bootstrap p of 0 means no resample crossed, not certainty. */
void bootstrap_format_p(char *buf, size_t n, double p);

#endif
