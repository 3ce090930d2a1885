/* specaug.c — see specaug.h. */
#include "nn/specaug.h"

#include <string.h>

void specaug_apply(float *x, int T, int D, int static_dim, const specaug_config *c, rng_state *r)
{
    if (static_dim <= 0 || static_dim > D) static_dim = D;
    for (int k = 0; k < c->freq_masks; k++) {
        int w = (int)rng_below(r, (uint64_t)c->max_freq + 1);
        if (w >= static_dim) w = static_dim - 1;
        int f0 = (int)rng_below(r, (uint64_t)(static_dim - w) + 1);
        for (int t = 0; t < T; t++)
            for (int blk = 0; blk + static_dim <= D; blk += static_dim)
                for (int f = f0; f < f0 + w; f++) x[(size_t)t * D + blk + f] = 0;
    }
    int cap = (int)(c->max_time_ratio * T);
    if (cap > c->max_time) cap = c->max_time;
    for (int k = 0; k < c->time_masks && cap > 0; k++) {
        int w = (int)rng_below(r, (uint64_t)cap + 1);
        int t0 = (int)rng_below(r, (uint64_t)(T - w) + 1);
        memset(x + (size_t)t0 * D, 0, (size_t)w * D * sizeof(float));
    }
}
