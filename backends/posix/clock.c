/* posix backend: both clocks come from clock_gettime (or, in sim mode, from
 * the simulator's virtual clock). The monotonic clock counts from the first
 * call, so an image's time starts near zero. */
#include <time.h>

#include "platform.h"
#include "posix.h"

static uint64_t read_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t boot_time;

uint64_t ul_plat_clock_monotonic(void)
{
	if (posix_sim())
		return posix_sim_monotonic();
	uint64_t now = read_clock(CLOCK_MONOTONIC);
	if (boot_time == 0)
		boot_time = now;
	return now - boot_time;
}

uint64_t ul_plat_clock_wall(void)
{
	if (posix_sim())
		return posix_sim_wall();
	return read_clock(CLOCK_REALTIME);
}
