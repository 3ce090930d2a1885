/* reject.h — calibrated confidences and the rejection of speech outside the
 * vocabulary, applied to every result the recognizer gives (decode, stream,
 * libasr) from the search settings a model stores (recognizer/options.h:
 * confidence_scale, confidence_gap_scale, confidence_bias, reject_gap,
 * reject_confidence; `asr calibrate` fits them, recognizer/calibrate.h).
 *
 *   word       p = sigmoid(a * logit(c) + g * gap_w + b)
 *              c the word's raw confidence (its tokens' mean spike height,
 *              decode/ctc_times.h, clamped to [1e-4, 1 - 1e-4]), gap_w its
 *              free-path gap per frame of its span: Platt scaling with the
 *              gap as a second feature. a unset (NaN) or 0: p = c.
 *              A stored system adds d * agree_w inside the sigmoid
 *              (confidence_agree_scale, recognizer/system.h): the fraction
 *              of its members that give the word at its place (ctc_word).
 *   utterance  the product of its words' p (pipeline.h);
 *   rejected   when it has words and its free-path gap (nats per heard
 *              frame, ctc_times.h) is above reject_gap, or its confidence
 *              is below reject_confidence (either unset or 0: not that
 *              test; so a search setting zeroed by its initialiser neither
 *              calibrates nor rejects).
 *              A rejected result has no words (WORDS "" and NW 0), its
 *              confidence and gap kept, REJECTED set.
 */
#ifndef ASR_RECOGNIZER_REJECT_H
#define ASR_RECOGNIZER_REJECT_H

#include "pipelines/pipeline.h"

/* The calibrated confidence of a word of raw confidence C, gap GAP and
 * members' agreement AGREE (0 outside a combination). */
float reject_word_confidence(const pipeline_options *s, float c, float gap, float agree);

/* Whether S rejects at all (either threshold set and above 0). */
int reject_active(const pipeline_options *s);

/* Whether an utterance of gap GAP and (calibrated) confidence CONF with
 * words is rejected by S. */
int reject_decide(const pipeline_options *s, float gap, float conf);

/* R's words calibrated per S, and its confidence their product (1 for no
 * word). */
void reject_calibrate(const pipeline_options *s, pipeline_result *r);

/* Calibrate R's words and utterance confidence and reject it per S. */
void reject_apply(const pipeline_options *s, pipeline_result *r);

#endif
