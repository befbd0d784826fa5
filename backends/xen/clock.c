/* xen guest: the clocks, from the time records Xen keeps in the shared-info
 * page. Xen system time (ns since Xen booted) is the vCPU record's
 * system_time plus the TSC ticks since its tsc_timestamp, scaled by Xen's
 * 32.32 fixed-point factor: integer arithmetic only (a 128-bit product,
 * no floating point). The monotonic clock is system time since our boot;
 * the wall clock adds Xen's wall-clock base. */
#include "guest.h"
#include "platform.h"

static uint64_t boot_system_time;
static uint64_t last;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Keep the compiler from moving memory reads across a version check (x86
 * does not reorder loads with loads). */
static inline void read_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static uint64_t scale_ticks(uint64_t ticks, uint32_t mul, int8_t shift)
{
	if (shift >= 0)
		ticks <<= shift;
	else
		ticks >>= -shift;
	return (uint64_t)(((unsigned __int128)ticks * mul) >> 32);
}

/* Xen system time now. Xen bumps version to odd before it updates the
 * record and to even after: a read is good if version was even and did not
 * change across it. */
static uint64_t system_time(void)
{
	const volatile struct xen_vcpu_time_info *t =
		&ul_xen_shared->vcpu_info[0].time;
	uint32_t version;
	uint64_t ns;

	do {
		version = t->version;
		read_barrier();
		uint64_t tsc = rdtsc(), stamp = t->tsc_timestamp;
		/* The TSC and the stamp come from the same CPU; should Xen
		 * have moved us between CPUs, take no negative ticks. */
		ns = t->system_time +
		     scale_ticks(tsc > stamp ? tsc - stamp : 0,
		                 t->tsc_to_system_mul, t->tsc_shift);
		read_barrier();
	} while ((version & 1) || version != t->version);
	return ns;
}

void ul_xen_clock_init(void)
{
	boot_system_time = system_time();
}

uint64_t ul_xen_clock_to_system(uint64_t ns)
{
	return ns > UINT64_MAX - boot_system_time ? UINT64_MAX
	                                          : boot_system_time + ns;
}

uint64_t ul_plat_clock_monotonic(void)
{
	uint64_t ns = system_time() - boot_system_time;

	if (ns < last)
		return last;
	last = ns;
	return ns;
}

uint64_t ul_plat_clock_wall(void)
{
	const volatile struct xen_shared_info *s = ul_xen_shared;
	uint32_t version;
	uint64_t sec, nsec;

	do {
		version = s->wc_version;
		read_barrier();
		sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
		nsec = s->wc_nsec;
		read_barrier();
	} while ((version & 1) || version != s->wc_version);
	return sec * 1000000000ull + nsec + system_time();
}
