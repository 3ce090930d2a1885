/* testgrad.h — numbers for the gradient tests of the nn layers and losses:
 * random fills, dot products, and central finite differences checked
 * against an analytic gradient. */
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

#endif
