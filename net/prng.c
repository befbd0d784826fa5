/* The stack's pseudo-random numbers (splitmix64, not cryptographic) and
 * the keyed hash behind initial sequence numbers and SYN cookies. */
#include <unilab/time.h>
#include "stack.h"

static uint64_t rng_state;

/* splitmix64: every call moves the state on by an odd constant and mixes
 * it, so the stream never sticks even from a zero seed. */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Seeded lazily from both clocks: an image that boots twice in the same
 * nanosecond of wall time is the only one that repeats itself. */
uint32_t net_random(void)
{
	if (rng_state == 0)
		rng_state = ul_wall() ^ (ul_now() << 17) ^ 0x756e696c6162ull;
	rng_state += 0x9e3779b97f4a7c15ull;
	return (uint32_t)(mix(rng_state) >> 32);
}

uint32_t net_hash(uint32_t a, uint32_t b, uint32_t c)
{
	static uint64_t secret;
	while (secret == 0)
		secret = (uint64_t)net_random() << 32 | net_random();
	uint64_t h = mix(secret ^ ((uint64_t)a << 32 | b));
	return (uint32_t)(mix(h ^ c ^ (secret >> 7)) >> 16);
}
