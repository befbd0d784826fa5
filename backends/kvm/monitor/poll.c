/* unilab-kvm: the poll call, the guest's only way to wait. The guest's
 * queued frames go out first and what has arrived goes into its rx rings;
 * if nothing did, the monitor sleeps in ppoll on what the network
 * interfaces wait on (TAP and capture descriptors, user-mode networking's
 * sockets and timers) until a frame waits or the guest's timeout passes,
 * so an idle guest costs no CPU. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "monitor.h"

void hc_poll(struct vm *vm, uint64_t gpa)
{
	static struct host_pollset ps;
	struct ul_kvm_poll *a = hypercall_arg(vm, UL_KVM_HC_POLL, gpa, sizeof(*a));
	struct timespec ts, *timeout = NULL;
	uint32_t ready = ring_net_service(vm) & a->wait;
	uint64_t ns = ready ? 0 : a->timeout_ns;

	host_pollset_reset(&ps);
	host_net_poll_fill(&ps, &ns, a->wait);
	if (ns != UINT64_MAX) {
		ts.tv_sec = (time_t)(ns / 1000000000u);
		ts.tv_nsec = (long)(ns % 1000000000u);
		timeout = &ts;
	}
	int n = ppoll(ps.fds, ps.count, timeout, NULL);
	if (n < 0 && errno != EINTR) /* EINTR: --timeout; the exit loop ends it */
		fatal(UL_KVM_EXIT_HOST, "poll failed: %s", strerror(errno));
	host_net_poll_done(&ps, n < 0);
	a->ready = (ready | ring_net_rx(vm)) & a->wait;
}
