/* ctc_loss.h — Connectionist Temporal Classification loss (Graves et al. 2006).
 *
 * For T frames of V unnormalised scores (logits) and a label sequence l of
 * length L over 1..V-1 (0 is the blank), the extended sequence l' inserts
 * blanks around and between labels (S = 2L + 1 states). With y = softmax of
 * the logits per frame, the forward variables in log space are
 *   a_0(0) = ln y_0(blank),  a_0(1) = ln y_0(l_1),
 *   a_t(s) = ln y_t(l'_s) + logsumexp(a_{t-1}(s), a_{t-1}(s-1),
 *                                     a_{t-1}(s-2) if l'_s != blank and l'_s != l'_{s-2})
 * (the skip is forbidden between two equal labels, which therefore need a
 * blank between them), and the backward variables b_t(s) likewise from the
 * end, excluding frame t's emission. Then
 *   loss = -ln P(l|x) = -logsumexp(a_{T-1}(S-1), a_{T-1}(S-2)),
 *   d loss / d logit_t(v) = y_t(v) - sum_{s: l'_s = v} exp(a_t(s) + b_t(s) + loss).
 * All sums are logsumexp in double precision, so long utterances and
 * confident networks neither underflow nor overflow.
 */
#ifndef ASR_NN_CTC_LOSS_H
#define ASR_NN_CTC_LOSS_H

/* Minimum frames for L labels: L plus one per pair of equal neighbours. */
int ctc_min_frames(const int *labels, int L);

/* Loss of one utterance (natural log). When GRAD is not NULL it receives
 * SCALE * d loss / d logits ([T][V], overwritten). Returns +INFINITY when no
 * alignment fits in T frames (GRAD is then zeroed). */
double ctc_loss(const float *logits, int T, int V, const int *labels, int L, float *grad,
                float scale);

#endif
