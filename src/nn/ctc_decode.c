/* ctc_decode.c — greedy CTC decoding, see ctc_decode.h. */
#include "nn/ctc_decode.h"

int ctc_greedy_decode(int *out, const float *logits, int T, int V)
{
    /* logits[T][V] -> out[<= T] */
    int n = 0, prev = 0;
    for (int t = 0; t < T; t++) {
        const float *row = logits + (long)t * V;
        int best = 0;
        for (int v = 1; v < V; v++)
            if (row[v] > row[best]) best = v;
        if (best != 0 && best != prev) out[n++] = best;
        prev = best;
    }
    return n;
}
