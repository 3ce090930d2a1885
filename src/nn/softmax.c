/* softmax.c — see softmax.h. */
#include "nn/softmax.h"

#include <math.h>
#include <stddef.h>

void log_softmax_forward(float *out, const float *inp, int N, int V)
{
    for (int n = 0; n < N; n++) {
        const float *x = inp + (size_t)n * V;
        float *y = out + (size_t)n * V;
        float mx = x[0];
        for (int v = 1; v < V; v++)
            if (x[v] > mx) mx = x[v];
        double s = 0;
        for (int v = 0; v < V; v++) s += exp((double)(x[v] - mx));
        float lse = mx + (float)log(s);
        for (int v = 0; v < V; v++) y[v] = x[v] - lse;
    }
}
