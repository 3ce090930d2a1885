/* ce_loss.h — frame-level cross-entropy over a softmax of logits.
 *
 * For T frames of V logits and one label per frame (labels[t] in 0..V-1, or
 * -1 for a frame that carries no label), with y_t = softmax(logits_t):
 *   loss = -sum_{t: labels[t] >= 0} ln y_t(labels[t])
 *   d loss / d logit_t(v) = y_t(v) - [v == labels[t]]   on labelled frames,
 *                         = 0                           on ignored frames.
 * The loss is a sum over frames, not a mean, like CTC's sum over an
 * utterance, so the two can be added in a multi-task loss on equal terms.
 * ln y is computed as a log-softmax (row maximum subtracted), so confident
 * logits neither overflow nor turn a correct label into ln 0.
 */
#ifndef ASR_NN_CE_LOSS_H
#define ASR_NN_CE_LOSS_H

/* Loss of one utterance (natural log). When GRAD is not NULL it receives
 * SCALE * d loss / d logits ([T][V], overwritten). Returns NAN (GRAD zeroed)
 * when a label is outside -1..V-1. */
double ce_loss(const float *logits, int T, int V, const int *labels, float *grad, float scale);

#endif
