/* unilab-kvm: the poll call, the guest's only way to wait. The guest's
 * queued frames go out first and what has arrived goes into its rx rings;
 * if nothing did, the monitor sleeps in ppoll on what the network
 * interfaces wait on (TAP and capture descriptors, user-mode networking's
 * sockets and timers) until a frame waits or the guest's timeout passes,
 * so an idle guest costs no CPU. */
#include <errno.h>
#include <string.h>

#include "monitor.h"

void hc_poll(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_poll *a = hypercall_arg(vm, UL_KVM_HC_POLL, gpa, sizeof(*a));
	uint32_t ready = ring_net_service(vm) & a->wait, unused;

	/* A signal (--timeout's) ends the sleep; the exit loop ends the VM. */
	if (ul_host_net_sleep(ready ? 0 : a->timeout_ns, a->wait, &unused) < 0)
		fatal(UL_KVM_EXIT_HOST, "poll failed: %s", strerror(errno));
	a->ready = (ready | ring_net_rx(vm)) & a->wait;
}
