/* testgrad.h — numbers for the gradient tests of the nn layers and losses:
 * random fills, dot products, central finite differences checked against
 * an analytic gradient, and the whole check of a network. */
#ifndef ASR_TESTGRAD_H
#define ASR_TESTGRAD_H

#include "base/rng.h"

#include <stddef.h>

/* X[0..n) uniform in [LO, HI). */
void test_fill(rng_state *r, float *x, size_t n, double lo, double hi);
/* sum a[i] b[i], in double. */
double test_dot(const float *a, const float *b, size_t n);
/* |ANALYTIC - NUMERIC| <= ABS_TOL + REL |NUMERIC|, else fail naming element I. */
void test_check_close(double analytic, double numeric, double rel, double abs_tol, int i);
/* For every V[i]: (LOSS(v + e) - LOSS(v - e)) / 2e against GRAD[i] (relative
 * tolerance REL, absolute 1e-4). LOSS reads V through whatever it closes over. */
void test_fd_check(float *v, const float *grad, int n, double (*loss)(void), double e, double rel);

/* The network DESC (3 features in, 3 symbols out) under CTC on a batch of
 * two utterances of 9 and 6 frames: d loss / d params and d loss / d input
 * against central differences (step 1e-2, relative tolerance REL, absolute
 * 1e-4); the padding of the shorter utterance never read (poisoned, the
 * valid logits are the same bytes) and given no gradient; inference equal
 * to the training-mode logits byte for byte; the description read back as
 * CANONICAL. */
void test_network_gradients(const char *desc, const char *canonical, double rel);

#endif
