/* softmax.h — row-wise log-softmax: out[n][v] = x[n][v] - log sum_u exp(x[n][u]),
 * computed with the row maximum subtracted first so it never overflows. */
#ifndef ASR_NN_SOFTMAX_H
#define ASR_NN_SOFTMAX_H

void log_softmax_forward(float *out, const float *inp, int N, int V);

#endif
