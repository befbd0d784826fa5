/* kvm guest: waiting. The guest has no interrupts; when the core is idle
 * it makes one poll call and the monitor sleeps on its behalf. */
#include "guest.h"
#include "platform.h"

uint32_t ul_plat_poll(uint64_t deadline)
{
	struct ul_kvm_poll p = {.timeout_ns = UINT64_MAX};

	if (deadline != UINT64_MAX) {
		uint64_t now = ul_plat_clock_monotonic();
		p.timeout_ns = deadline > now ? deadline - now : 0;
	}
	/* Whatever was printed should be seen while we wait. */
	ul_kvm_console_flush();
	ul_kvm_hypercall(UL_KVM_HC_POLL, &p);
	return p.ready;
}
