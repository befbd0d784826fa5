/* Time for the core and the apps, read from the backend's clocks. */
#include <unilab/time.h>
#include "platform.h"

uint64_t ul_now(void)
{
	return ul_plat_clock_monotonic();
}

uint64_t ul_wall(void)
{
	return ul_plat_clock_wall();
}

uint64_t ul_deadline_after(uint64_t delta)
{
	uint64_t now = ul_now();
	return delta > UL_FOREVER - now ? UL_FOREVER : now + delta;
}
