/* The core's CSPRNG: BearSSL's HMAC-DRBG (NIST SP 800-90A) over SHA-256,
 * seeded with 48 bytes from the platform's entropy source (256 bits of
 * entropy plus a nonce, as SP 800-90A asks for a 256-bit strength) and
 * reseeded after every RESEED_BYTES bytes of output, far inside the
 * standard's limit of 2^48 requests. Threads are cooperative, so one
 * shared state needs no lock. */
#include <bearssl_hash.h>
#include <bearssl_rand.h>

#include <unilab/errno.h>
#include <unilab/random.h>
#include <unilab/string.h>
#include "platform.h"

#define SEED_BYTES 48
#define RESEED_BYTES (1u << 20)

static br_hmac_drbg_context drbg;
static int seeded;
static size_t since_seed; /* bytes given out since the last (re)seed */

int ul_random_entropy(void *buf, size_t len)
{
	return ul_plat_entropy(buf, len);
}

static int seed(void)
{
	unsigned char s[SEED_BYTES];
	int err = ul_plat_entropy(s, sizeof(s));

	if (err < 0)
		return err;
	if (seeded)
		br_hmac_drbg_update(&drbg, s, sizeof(s));
	else
		br_hmac_drbg_init(&drbg, &br_sha256_vtable, s, sizeof(s));
	ul_memset(s, 0, sizeof(s));
	seeded = 1;
	since_seed = 0;
	return 0;
}

int ul_random_bytes(void *buf, size_t len)
{
	if (!seeded || since_seed >= RESEED_BYTES) {
		int err = seed();
		if (err < 0)
			return err;
	}
	br_hmac_drbg_generate(&drbg, buf, len);
	since_seed += len;
	return 0;
}
