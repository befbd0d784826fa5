/* The stack's counters and the text form an app or a web page shows. */
#include <stddef.h>
#include <unilab/console.h>
#include <unilab/net.h>
#include "stack.h"

struct ul_net_stats net_stats;

#define ROW(f) {#f, offsetof(struct ul_net_stats, f)}
static const struct {
	const char *name;
	size_t offset;
} rows[] = {
	ROW(eth_in), ROW(eth_out), ROW(eth_drop), ROW(eth_tx_fail),
	ROW(arp_in), ROW(arp_out), ROW(arp_drop), ROW(arp_timeout),
	ROW(ip_in), ROW(ip_out), ROW(ip_drop), ROW(ip_csum_err),
	ROW(ip_frag_in), ROW(ip_reassembled), ROW(ip_reass_drop),
	ROW(ip_frag_out), ROW(ip_no_route),
	ROW(icmp_in), ROW(icmp_out), ROW(icmp_drop), ROW(icmp_csum_err),
	ROW(udp_in), ROW(udp_out), ROW(udp_drop), ROW(udp_csum_err),
	ROW(udp_no_port),
	ROW(tcp_in), ROW(tcp_out), ROW(tcp_drop), ROW(tcp_csum_err),
	ROW(tcp_rst_in), ROW(tcp_rst_out),
	ROW(tcp_retransmits), ROW(tcp_fast_retransmits), ROW(tcp_timeouts),
	ROW(tcp_dup_acks), ROW(tcp_ooo_segs),
	ROW(tcp_active_opens), ROW(tcp_passive_opens), ROW(tcp_syn_dropped),
	ROW(tcp_cookies_sent), ROW(tcp_cookies_ok),
	ROW(tcp_conn_reset), ROW(tcp_conn_timeout), ROW(tcp_mss_lowered),
	ROW(mem_fail),
};

void ul_net_stats(struct ul_net_stats *st)
{
	*st = net_stats;
}

static uint64_t value(size_t offset)
{
	return *(const uint64_t *)((const char *)&net_stats + offset);
}

int ul_net_format_stats(char *buf, size_t cap)
{
	size_t total = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t room = total < cap ? cap - total : 0;
		int n = ul_snprintf(room ? buf + total : NULL, room, "%s %llu\n",
		                    rows[i].name,
		                    (unsigned long long)value(rows[i].offset));
		total += (size_t)n;
	}
	if (cap && total == 0)
		buf[0] = '\0';
	return (int)total;
}
