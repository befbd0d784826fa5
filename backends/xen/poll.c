/* xen guest: waiting. There are no devices with input yet, so poll only
 * sleeps: the vCPU's single-shot timer is set for the deadline (its
 * VIRQ_TIMER event ends SCHEDOP_block) and the vCPU blocks. Any other
 * event wakes it early, which the contract allows. */
#include "guest.h"
#include "hypercall.h"
#include "platform.h"

uint32_t ul_plat_poll(uint64_t deadline, uint32_t wait)
{
	(void)wait; /* no device has input yet */
	/* Whatever was printed should be seen while we wait. */
	ul_xen_console_flush();
	if (deadline != UINT64_MAX) {
		/* A time already past fires at once (flags 0). */
		struct xen_vcpu_singleshot_timer t = {
			.timeout_abs_ns = ul_xen_clock_to_system(deadline),
		};
		xen_vcpu_op(XEN_VCPUOP_SET_SINGLESHOT_TIMER, &t);
	}
	/* Clear before the last look at the clock: a timer event that
	 * comes after it makes the block return at once. */
	ul_xen_events_clear();
	if (ul_plat_clock_monotonic() < deadline)
		ul_xen_events_block();
	return 0;
}
