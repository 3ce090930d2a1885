/* score.h — word and character error rates of a hypothesis transcript file
 * against a reference: what `asr score` computes.
 *
 * Each file is a Kaldi text file ("uttid word word ...") or an sclite trn file
 * ("word word ... (uttid)"); a file is read as trn when its first line ends in
 * a "(uttid)" token, and then every line must. An utterance of REF missing
 * from HYP is scored as all deletions (a warning through base/log.h); one of
 * HYP missing from REF, a duplicate id, a malformed line, or an utterance
 * longer than METRICS_MAX_TOKENS at a level scored is an error naming
 * FILE:LINE. The alignment rules are text/metrics.h's.
 */
#ifndef ASR_TEXT_SCORE_H
#define ASR_TEXT_SCORE_H

#include "text/bootstrap.h"
#include "text/metrics.h"

#include <stdio.h>

typedef struct {
    const char *ref, *hyp;
    int normalize;    /* both sides through the text normaliser first */
    int words, chars; /* the levels scored */
    FILE *details;    /* sclite-style alignments here (REF order), or NULL */
} score_job;

typedef struct {
    error_counts words, chars;
    int sentences;
    long missing; /* utterances of REF without a hypothesis */
    /* Word errors and reference words of each utterance, in REF order
     * (sentences of each; with j->words), for a paired comparison. */
    int *utt_errors, *utt_ref;
} score_result;

int score_files(const score_job *j, score_result *r);
void score_result_free(score_result *r);

/* MINE (score_files of J) against another hypothesis file AGAINST of the
 * same REF, at the word level: R's value is WER(J->hyp) - WER(AGAINST) in
 * points, with its paired bootstrap interval and p over the utterances
 * (text/bootstrap.h with its defaults: 1,000 resamples, 95%, a fixed
 * seed); *WER_AGAINST is AGAINST's WER. -1 with a message. */
int score_against(const score_job *j, const score_result *mine, const char *against,
                  double *wer_against, bootstrap_result *r);

#endif
