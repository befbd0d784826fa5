/* The stack's clock: every layer reads time through net_now(), so a unit
 * test can drive the protocol timers with a clock of its own. */
#include <unilab/time.h>
#include "stack.h"

uint64_t (*net_clock)(void) = ul_now;

uint64_t net_deadline(uint64_t delta)
{
	uint64_t now = net_now();
	return delta > UL_FOREVER - now ? UL_FOREVER : now + delta;
}
