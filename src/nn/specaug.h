/* specaug.h — SpecAugment-style masking of a feature matrix (Park et al. 2019).
 *
 * On X[T][D] (after CMVN, so 0 is the mean): F frequency masks, each setting
 * a band of width uniform in [0, max_f] to 0 across all frames, and M time
 * masks, each setting up to max_t consecutive frames (and at most ratio*T
 * frames) to 0. Applies the static columns' masks to their delta columns too
 * when STATIC_DIM < D (every STATIC_DIM-th block). Draws from R, so the
 * augmentation is reproducible from the training seed.
 */
#ifndef ASR_NN_SPECAUG_H
#define ASR_NN_SPECAUG_H

#include "base/rng.h"

typedef struct {
    int freq_masks, max_freq;
    int time_masks, max_time;
    float max_time_ratio;
} specaug_config;

void specaug_apply(float *x, int T, int D, int static_dim, const specaug_config *c, rng_state *r);

#endif
