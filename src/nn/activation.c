/* activation.c — clipped ReLU, see activation.h.
 *
 * Both loops are branch-free (compare-and-select) so the compiler turns them
 * into SIMD, and split over the OpenMP threads when N is large: between two
 * GEMMs these memory-bound passes would otherwise run on one core while the
 * other waits. Every element is independent, so the result does not depend
 * on the thread count. */
#include "nn/activation.h"

/* Below this many elements a parallel region costs more than it saves. */
enum { PARALLEL_MIN = 1 << 15 };

void clipped_relu_forward(float *out, const float *inp, size_t n, float ceil)
{
    /* out[n] = min(max(inp[n], 0), ceil) */
#pragma omp parallel for simd schedule(static) if (n >= PARALLEL_MIN)
    for (size_t i = 0; i < n; i++) {
        float x = inp[i];
        x = x > 0.0f ? x : 0.0f;
        out[i] = x < ceil ? x : ceil;
    }
}

void clipped_relu_backward(float *dinp, const float *dout, const float *inp, size_t n, float ceil)
{
    /* dinp[n] += dout[n] * [0 < inp[n] < ceil] */
#pragma omp parallel for simd schedule(static) if (n >= PARALLEL_MIN)
    for (size_t i = 0; i < n; i++) {
        float x = inp[i], g = dout[i]; /* loaded unconditionally: selects, not branches */
        g = x > 0.0f ? g : 0.0f;
        dinp[i] += x < ceil ? g : 0.0f;
    }
}
