/* combine.h — system combination: recognisers of different kinds (a staged
 * and a direct model, each with its own features, units and search) decode
 * the same utterances, and each utterance keeps the result of the one most
 * confident in it.
 *
 * The rule is the simplest that pays: the utterance's confidence decides
 * (the product of its words' confidences, 1 for no word, after the model's
 * calibration; pipelines/pipeline.h), ties going to the earlier system. The
 * two pipelines' errors are partly their own (the README's "Speakers never
 * heard": on the speaker-disjoint folds the combination is below both on
 * the FSDD connected strings and the Speech Commands digits). Voting word by
 * word (ROVER) over two systems gave the same numbers on those folds (they
 * seldom disagree on the number of words) and the geometric mean of the word
 * confidences instead of their product too. An empty result has confidence
 * 1: a model that hears no word in speech outside its vocabulary wins over
 * one that forces words on it.
 *
 * A result its model rejected as outside the vocabulary (recognizer/reject.h:
 * the model stores a threshold) vetoes: the combination rejects the
 * utterance too, however sure the others are. One member calibrated to tell
 * digits from other sounds is then the system's detector; the others, which
 * store no threshold, never reject, so a system of models without one
 * combines as before. The shipped direct model, fine-tuned with non-digit
 * speech as blank, is that member (reject_confidence = 0.05; the README's
 * "Rejecting speech outside the vocabulary": on the speaker-disjoint folds
 * 64% -> 39% of out-of-vocabulary utterances give digits, at +0.35 / 0 /
 * +0.47 WER points).
 */
#ifndef ASR_RECOGNIZER_COMBINE_H
#define ASR_RECOGNIZER_COMBINE_H

#include "pipelines/pipeline.h"
#include "signal/audio.h"

/* For each of the N utterances, KEEP[i] becomes the result the combination
 * keeps among KEEP[i], OTHER[0][i], ..., OTHER[K-1][i], in that order: the
 * first rejected one, or else the most confident (ties and NaN: the
 * earlier). The chosen result swaps with KEEP[i] (the caller frees every
 * OTHER[j] as before). Each word kept gets its agreement (ctc_word.agree):
 * the fraction of the K + 1 results that give the same word at the same
 * place. Where the members agree the word is more often right than its own
 * confidence says, and where the surest one stands alone less often (the
 * speaker-disjoint folds: word AUC 0.837 -> 0.877 as a calibration feature,
 * the README's "The default calibrates the words it keeps"). Its start and
 * end become the means of those results' (each member's times carry its
 * own bias removed: its time shifts): each member places a word's
 * boundaries from its own CTC spikes, and their mean is nearer the truth
 * than the surest one's (the speaker-disjoint FSDD folds' connected
 * strings: p95 boundary error 119 / 117 / 217 / 98 ms -> 115 / 97 / 171 /
 * 78 ms; the README's "Word times"). */
void results_combine(pipeline_result *keep, pipeline_result *const *other, int k, int n);

/* Every word time of RES[0..N) moved SHIFT seconds earlier, never below 0:
 * the times of a view with SHIFT seconds of quiet added before each
 * utterance, as in the recording. */
void results_shift_times(pipeline_result *res, int n, double shift);

/* Every word time of RES[0..N) moved to its recording's time: utterance i
 * was recognised with the quiet CUTS[i] says cut out of it
 * (signal/audio.h audio_cut_quiet). CUTS NULL: nothing was cut. */
void results_uncut_times(pipeline_result *res, int n, const audio_cuts *cuts);

#endif
