/* unilab-kvm: what the monitor counts while the guest runs (exits by
 * reason, frames and notifications per ring), printed on stderr at the end
 * with --stats. Counting is a few increments per exit; always on. */
#include <stdio.h>

#include "monitor.h"

struct monitor_stats stats;
static bool printing;

void stats_enable(void)
{
	printing = true;
}

void stats_print(void)
{
	uint64_t exits = stats.interrupted;

	if (!printing)
		return;
	for (unsigned nr = 0; nr < UL_KVM_HC_COUNT; nr++)
		exits += stats.hypercalls[nr];
	fprintf(stderr, MONITOR_NAME ": statistics\n"
	                "  vm exits        %10llu\n",
	        (unsigned long long)exits);
	for (unsigned nr = 0; nr < UL_KVM_HC_COUNT; nr++)
		if (stats.hypercalls[nr])
			fprintf(stderr, "    %-13s %10llu\n", hypercall_name(nr),
			        (unsigned long long)stats.hypercalls[nr]);
	if (stats.interrupted)
		fprintf(stderr, "    %-13s %10llu\n", "signal",
		        (unsigned long long)stats.interrupted);
	if (stats.hypercalls[UL_KVM_HC_POLL])
		fprintf(stderr, "  poll slept      %10llu  woken by a timer %llu  "
		                "lingered %llu\n",
		        (unsigned long long)stats.sleeps,
		        (unsigned long long)stats.timeouts,
		        (unsigned long long)stats.lingers);
	if (stats.block_requests)
		fprintf(stderr, "  block requests  %10llu  kicks %llu\n",
		        (unsigned long long)stats.block_requests,
		        (unsigned long long)stats.hypercalls[UL_KVM_HC_BLOCK_KICK]);
	for (unsigned i = 0; i < ul_host_net_count(); i++) {
		const struct net_stats *n = &stats.net[i];
		fprintf(stderr,
		        "  net%u tx frames %10llu  notifications %llu  dropped %llu\n"
		        "  net%u rx frames %10llu  wake-ups %llu\n",
		        i, (unsigned long long)n->tx_frames,
		        (unsigned long long)n->tx_kicks,
		        (unsigned long long)n->tx_dropped, i,
		        (unsigned long long)n->rx_frames,
		        (unsigned long long)n->rx_wakes);
	}
}
