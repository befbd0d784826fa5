/* Entropy for the x86_64 guests that own the CPU (baremetal, xen): the
 * CPU's own generator. RDSEED gives conditioned bytes straight from the
 * noise source and is what a seed should come from; RDRAND is a DRBG
 * reseeded from it, good enough when RDSEED is missing or keeps running
 * dry. Both report "no data yet" with CF=0, so each read is retried
 * (Intel's DRNG guide: 10 tries for RDRAND). */
#include <stdint.h>

#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/string.h>

#include "entropy.h"
#include "io.h"
#include "platform.h"

#define CPUID1_ECX_RDRAND (1u << 30)
#define CPUID7_EBX_RDSEED (1u << 18)
#define RDSEED_TRIES 100
#define RDRAND_TRIES 10

static int probed, has_rdseed, has_rdrand;

static void probe(void)
{
	if (probed)
		return;
	probed = 1;
	uint32_t max_leaf = x86_cpuid(0, 0).eax;
	has_rdrand = (x86_cpuid(1, 0).ecx & CPUID1_ECX_RDRAND) != 0;
	if (max_leaf >= 7)
		has_rdseed = (x86_cpuid(7, 0).ebx & CPUID7_EBX_RDSEED) != 0;
}

void ul_x86_entropy_check(const char *backend)
{
	probe();
	if (!has_rdseed && !has_rdrand)
		ul_printf("%s: no RDSEED or RDRAND on this CPU: no entropy "
		          "source, so random bytes and TLS will fail\n",
		          backend);
}

static int rdseed(uint64_t *v)
{
	for (int i = 0; i < RDSEED_TRIES; i++) {
		uint8_t ok;
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
		__asm__ volatile("pause");
	}
	return 0;
}

static int rdrand(uint64_t *v)
{
	for (int i = 0; i < RDRAND_TRIES; i++) {
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

int ul_plat_entropy(void *buf, size_t len)
{
	unsigned char *p = buf;

	probe();
	if (!has_rdseed && !has_rdrand)
		return -UL_ENODEV;
	while (len > 0) {
		uint64_t v;
		if (!(has_rdseed && rdseed(&v)) && !(has_rdrand && rdrand(&v)))
			return -UL_EIO; /* the generator is failing, not busy */
		size_t n = len < sizeof(v) ? len : sizeof(v);
		ul_memcpy(p, &v, n);
		p += n;
		len -= n;
	}
	return 0;
}
