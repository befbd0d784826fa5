/* The router's filter: the stateful firewall and NAT that the stack's
 * forwarding calls for every datagram. */
#ifndef ROUTER_FIREWALL_H
#define ROUTER_FIREWALL_H

#include <stddef.h>
#include <unilab/forward.h>
#include "rules.h"

struct firewall_stats {
	uint64_t tracked;   /* datagrams of known flows, passed */
	uint64_t new_flows; /* flows the rules allowed */
	uint64_t denied;    /* first datagrams the rules refused */
	uint64_t untracked; /* no flow could be read, or the table was full */
};

/* Use rs (kept) from now on. */
void firewall_init(struct ruleset *rs);
enum ul_fwd_verdict firewall_filter(struct ul_fwd_pkt *pk);
/* The rules, their counters and the firewall's, as text (snprintf-like). */
size_t firewall_report(char *buf, size_t cap);

#endif
