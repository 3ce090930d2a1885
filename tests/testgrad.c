/* testgrad.c — see testgrad.h. */
#include "testgrad.h"

#include <check.h>
#include <math.h>

void test_fill(rng_state *r, float *x, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++) x[i] = (float)(lo + (hi - lo) * rng_uniform(r));
}

double test_dot(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (double)a[i] * b[i];
    return s;
}

void test_check_close(double analytic, double numeric, double rel, double abs_tol, int i)
{
    ck_assert_msg(fabs(analytic - numeric) <= abs_tol + rel * fabs(numeric),
                  "element %d: analytic %.6g vs numeric %.6g", i, analytic, numeric);
}

void test_fd_check(float *v, const float *grad, int n, double (*loss)(void), double e, double rel)
{
    for (int i = 0; i < n; i++) {
        float keep = v[i];
        v[i] = keep + (float)e;
        double lp = loss();
        v[i] = keep - (float)e;
        double lm = loss();
        v[i] = keep;
        test_check_close(grad[i], (lp - lm) / (2 * e), rel, 1e-4, i);
    }
}
