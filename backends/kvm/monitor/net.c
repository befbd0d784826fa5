/* unilab-kvm: network interfaces. They are backends/host's (TAP, pcap,
 * user-mode), as the posix backend's are; frames move through the rings
 * of ring_net.c, and poll.c sleeps on the interfaces' descriptors. */
#include "monitor.h"

_Static_assert(UL_KVM_MAX_NET == HOST_NET_MAX, "one interface table, one size");

void net_open(const struct options *opt)
{
	struct ul_host_error err;

	for (unsigned i = 0; i < opt->net_count; i++)
		if (ul_host_net_attach(&opt->net[i], &err) < 0)
			fatal(UL_KVM_EXIT_HOST, "%s", err.msg);
	if (opt->pcap && ul_host_net_pcap(opt->pcap, &err) < 0)
		fatal(UL_KVM_EXIT_HOST, "%s", err.msg);
}
