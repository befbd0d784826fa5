/* The simulator's random numbers: xoshiro256** streams seeded through
 * splitmix64 from the scenario's seed and a stream name, so each link
 * direction draws from its own stream and a run repeats exactly. */
#ifndef UL_SIM_RNG_H
#define UL_SIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* The stream called name under seed: the same pair, the same numbers. */
void rng_seed(struct rng *r, uint64_t seed, const char *name);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n), n > 0, without modulo bias. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* True with probability ppb / 10^9. */
bool rng_chance(struct rng *r, uint32_t ppb);

#endif
