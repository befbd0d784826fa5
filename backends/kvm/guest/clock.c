/* kvm guest: both clocks from the TSC, so reading the time never leaves
 * the VM. ns = ticks * 10^6 / tsc_khz is done as a multiply by a 32.32
 * fixed-point factor with a 128-bit product: no division, no floating
 * point, and no overflow for any uptime. */
#include "guest.h"
#include "platform.h"

static uint64_t tsc_at_boot;
static uint64_t ns_per_tick_32; /* 10^6 / tsc_khz, times 2^32 */
static uint64_t last;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

void ul_kvm_clock_init(void)
{
	tsc_at_boot = rdtsc();
	/* 10^6 << 32 fits in 64 bits; tsc_khz > 0 was checked at start. */
	ns_per_tick_32 = (1000000ull << 32) / ul_kvm_boot_info->tsc_khz;
}

uint64_t ul_plat_clock_monotonic(void)
{
	uint64_t ticks = rdtsc() - tsc_at_boot;
	uint64_t ns = (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32) >> 32);

	/* A TSC that steps back (a migrated or badly synced host) must not
	 * make our clock do so. */
	if (ns < last)
		return last;
	last = ns;
	return ns;
}

uint64_t ul_plat_clock_wall(void)
{
	return ul_kvm_boot_info->wall_ns + ul_plat_clock_monotonic();
}
