/* word_output.h — a result's words with their times and confidences, as
 * `asr decode --format json|ctm` and `asr stream --format json` write them.
 *
 *   json  one object per utterance per line:
 *         {"utt": ID, "text": "words ...", "confidence": C, "gap": G,
 *          "rejected": false, "words": [{"word": W, "start": S, "end": E,
 *          "confidence": C, "gap": G}, ...]}
 *         times in seconds from the start of the recording (3 decimals),
 *         gaps the free-path gaps (decode/ctc_times.h); a word a
 *         combined system kept also has "agreement": A, the fraction of
 *         its members that gave it at its place (recognizer/combine.h),
 *         which the system's calibration reads; a rejected
 *         utterance (recognizer/reject.h) has "rejected": true, text "" and
 *         no words;
 *   ctm   Kaldi/sclite CTM, one line per word: ID 1 START DURATION WORD CONF
 *         (times with 2 decimals, as sclite reads them); none for a
 *         rejected utterance.
 * Times and confidences are defined in decode/ctc_times.h.
 */
#ifndef ASR_RECOGNIZER_WORD_OUTPUT_H
#define ASR_RECOGNIZER_WORD_OUTPUT_H

#include "pipelines/pipeline.h"

#include <stdio.h>

typedef enum { WORDS_TEXT, WORDS_JSON, WORDS_CTM } words_format;

/* The choices of a --format option, in the enum's order. */
#define WORDS_FORMATS "text|json|ctm"

/* W[0..NW) as a JSON array, every time plus OFFSET seconds. */
void words_write_json(FILE *f, const ctc_word *w, int nw, double offset);

/* Utterance ID's result R as FORMAT (JSON or CTM; the text forms are the
 * callers'). */
void words_write(FILE *f, words_format format, const char *id, const pipeline_result *r);

#endif
