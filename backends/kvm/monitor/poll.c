/* unilab-kvm: the poll call, the guest's only way to wait: the monitor
 * sleeps on the devices' file descriptors until one has input or the
 * guest's timeout passes, so an idle guest costs no CPU. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "monitor.h"

void hc_poll(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_poll *a = hypercall_arg(vm, UL_KVM_HC_POLL, gpa, sizeof(*a));
	struct pollfd fds[UL_KVM_MAX_NET];
	struct timespec ts, *timeout = NULL;
	uint64_t ns = a->timeout_ns;

	if (ns != UINT64_MAX) {
		ts.tv_sec = (time_t)(ns / 1000000000u);
		ts.tv_nsec = (long)(ns % 1000000000u);
		timeout = &ts;
	}
	for (unsigned i = 0; i < vm->net_count; i++)
		fds[i] = (struct pollfd){.fd = vm->net[i].fd, .events = POLLIN};

	a->ready = 0;
	int n = ppoll(fds, vm->net_count, timeout, NULL);
	if (n < 0 && errno != EINTR) /* EINTR: --timeout; the exit loop ends it */
		fatal(UL_KVM_EXIT_HOST, "poll failed: %s", strerror(errno));
	for (unsigned i = 0; n > 0 && i < vm->net_count; i++)
		if (fds[i].revents & (POLLIN | POLLERR | POLLHUP))
			a->ready |= 1u << i;
}
