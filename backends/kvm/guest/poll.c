/* kvm guest: waiting. The guest has no interrupts; when the core is idle
 * it makes one poll call, which also hands the monitor the frames queued
 * on the tx rings, and the monitor sleeps on its behalf. Frames already in
 * an rx ring need no exit at all. */
#include "guest.h"
#include "platform.h"

uint32_t ul_plat_poll(uint64_t deadline, uint32_t wait)
{
	struct ul_kvm_poll p = {.timeout_ns = UINT64_MAX, .wait = wait};
	uint32_t ready = ul_kvm_net_ready() & wait;

	if (ready && !ul_kvm_net_tx_pending())
		return ready;
	if (ready) {
		p.timeout_ns = 0;
	} else if (deadline != UINT64_MAX) {
		uint64_t now = ul_plat_clock_monotonic();
		p.timeout_ns = deadline > now ? deadline - now : 0;
	}
	/* Whatever was printed should be seen while we wait. */
	ul_kvm_console_flush();
	ul_kvm_hypercall(UL_KVM_HC_POLL, &p);
	return ul_kvm_net_ready() & wait;
}
