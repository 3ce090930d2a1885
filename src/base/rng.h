/* rng.h — the one random number generator of the workbench.
 *
 * Everything random (data splits, dither, noise mixing, weight init, dropout,
 * SpecAugment, batching order) draws from an rng_state seeded from --seed, so
 * a run is reproducible bit for bit. xoshiro256** (Blackman & Vigna), seeded
 * through splitmix64: fast, small state, good statistical quality, and the
 * state can be saved in a checkpoint.
 */
#ifndef ASR_RNG_H
#define ASR_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} rng_state;

void rng_seed(rng_state *r, uint64_t seed);
uint64_t rng_u64(rng_state *r);
/* Uniform in [0, 1). */
double rng_uniform(rng_state *r);
/* Uniform integer in [0, n); n > 0. Unbiased (rejection). */
uint64_t rng_below(rng_state *r, uint64_t n);
/* Standard normal (Box-Muller). */
double rng_normal(rng_state *r);
/* Fisher-Yates shuffle of N ints. */
void rng_shuffle_int(rng_state *r, int *a, int n);

#endif
