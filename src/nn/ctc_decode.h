/* ctc_decode.h — greedy (best-path) CTC decoding, blank = 0.
 *
 * Takes the arg-max symbol of each of the T valid frames of logits [T][V],
 * collapses runs of equal symbols, then drops blanks: "a a _ a b b" -> "a a b"
 * needs the blank between the two a's, as in the CTC alignment rule.
 */
#ifndef ASR_NN_CTC_DECODE_H
#define ASR_NN_CTC_DECODE_H

/* Writes at most T labels to out; returns their count. */
int ctc_greedy_decode(int *out, const float *logits, int T, int V);

#endif
