/* xen guest: waiting. A vif with a frame waiting makes poll return at
 * once; else the vCPU's single-shot timer is set for the deadline (its
 * VIRQ_TIMER event ends SCHEDOP_block) and the vCPU blocks until then or
 * until a device's event channel fires. Waking early is allowed. */
#include "guest.h"
#include "platform.h"

uint32_t ul_plat_poll(uint64_t deadline, uint32_t wait)
{
	(void)wait; /* no device has input yet */
	/* Whatever was printed should be seen while we wait. */
	ul_xen_console_flush();
	/* Clear before the last look at the rings and the clock: an event
	 * that comes after it makes the block return at once. */
	ul_xen_events_clear();
	uint32_t ready = ul_xen_netfront_ready();
	if (ready == 0 && ul_plat_clock_monotonic() < deadline)
		ul_xen_events_block_until(deadline);
	return ready;
}
