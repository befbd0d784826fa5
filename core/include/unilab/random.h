/* Unpredictable bytes: the core's CSPRNG, for keys, nonces and anything an
 * attacker must not guess. */
#ifndef UL_RANDOM_H
#define UL_RANDOM_H

#include <stddef.h>

/* Fill buf with len bytes from the core's HMAC-DRBG (SHA-256), seeded from
 * the machine's entropy source on first use and reseeded from it as it
 * goes. Returns 0, or -UL_ENODEV when the machine has no entropy source,
 * -UL_EIO when it failed; buf is then unchanged. */
int ul_random_bytes(void *buf, size_t len);

/* The machine's entropy source itself (ul_plat_entropy: getrandom on the
 * host, RDSEED/RDRAND on the CPU), unconditioned by the DRBG: slow, for
 * seeding and for testing the source. Same returns. */
int ul_random_entropy(void *buf, size_t len);

#endif
