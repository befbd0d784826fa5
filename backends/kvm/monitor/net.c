/* unilab-kvm: network interfaces. They are backends/host's (TAP, pcap,
 * user-mode), as the posix backend's are; here the guest's two calls are
 * checked and passed on, and poll.c sleeps on their descriptors. */
#include <unilab/errno.h>

#include "monitor.h"

_Static_assert(UL_KVM_MAX_NET == HOST_NET_MAX, "one interface table, one size");

void net_open(const struct options *opt)
{
	struct host_error err;

	for (unsigned i = 0; i < opt->net_count; i++)
		if (host_net_attach(&opt->net[i], &err) < 0)
			fatal(UL_KVM_EXIT_HOST, "%s", err.msg);
	if (opt->pcap && host_net_pcap(opt->pcap, &err) < 0)
		fatal(UL_KVM_EXIT_HOST, "%s", err.msg);
}

void hc_net_send(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_net *a =
		hypercall_arg(vm, UL_KVM_HC_NET_SEND, gpa, sizeof(*a));
	const void *frame =
		hypercall_buf(vm, UL_KVM_HC_NET_SEND, "frame", a->data, a->len);

	a->ret = (int32_t)host_net_send(a->dev, frame, a->len);
}

void hc_net_recv(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_net *a =
		hypercall_arg(vm, UL_KVM_HC_NET_RECV, gpa, sizeof(*a));
	void *buf =
		hypercall_buf(vm, UL_KVM_HC_NET_RECV, "buffer", a->data, a->len);

	a->ret = (int32_t)host_net_recv(a->dev, buf, a->len);
}
