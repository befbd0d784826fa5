/* The network stack: bringing it up, its interfaces' configuration, IPv4
 * address helpers and the stack's counters. */
#ifndef UL_NET_H
#define UL_NET_H

#include <stddef.h>
#include <stdint.h>

/* IPv4 addresses are uint32_t in host byte order: 10.0.0.2 is 0x0a000002.
 * Ports are host-order uint16_t. The stack converts at the wire. */
#define UL_IP(a, b, c, d)                                                    \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | \
	 (uint32_t)(d))
#define UL_IP_ANY 0u
#define UL_IP_BROADCAST 0xffffffffu
#define UL_IP_STRLEN 16 /* "255.255.255.255" and its NUL */

/* Parse a dotted quad ("10.0.0.2", each part 0..255, nothing else):
 * 0, or -UL_EINVAL. */
int ul_ip_parse(const char *s, uint32_t *addr);
/* Parse "ADDR/PREFIX" (prefix 0..32; "ADDR" alone means /32). */
int ul_ip_parse_cidr(const char *s, uint32_t *addr, unsigned *prefix);
/* Write addr as a dotted quad into buf (UL_IP_STRLEN bytes); return buf. */
char *ul_ip_format(uint32_t addr, char *buf);

/* Bring the stack up from the core options:
 *   ip=ADDR/PREFIX[,ADDR/PREFIX|dhcp...]  one entry per interface, in order
 *                                         (default: dhcp on every interface)
 *   gw=ADDR    the default gateway        dns=ADDR   the DNS server
 * Every interface the backend offers is started, a receive thread runs,
 * and each configured interface announces itself with a gratuitous ARP.
 * With dhcp, waits (up to about 10 s) for the first lease. Returns 0,
 * -UL_ENODEV when the image has no network interface, -UL_EINVAL for a bad
 * option (with a message on the console), -UL_ETIMEDOUT when DHCP found no
 * server (it keeps trying in the background). Calling it again returns 0
 * (or the same -UL_EINVAL). Optional: the first ul_socket() starts the
 * stack itself when the image has an interface; call it to choose when
 * the DHCP wait happens and to see how the start went. */
int ul_net_start(void);

/* One interface as it is now. */
struct ul_net_if {
	unsigned index;
	uint8_t mac[6];
	uint16_t mtu;
	uint32_t addr;   /* 0 until configured */
	unsigned prefix; /* netmask length */
	int dhcp;        /* 1 when the address came (or will come) from DHCP */
};
/* 0, or -UL_ENODEV for an index past the last interface. */
int ul_net_if_get(unsigned index, struct ul_net_if *out);
uint32_t ul_net_gateway(void);    /* 0 when there is none */
uint32_t ul_net_dns_server(void); /* 0 when there is none */

/* Counters since the stack started. Every frame that is dropped is counted
 * once, under the first reason that applies. */
struct ul_net_stats {
	uint64_t eth_in, eth_out;     /* frames received / sent */
	uint64_t eth_drop;            /* not for us, too short, unknown type */
	uint64_t eth_tx_fail;         /* the device refused a frame */
	uint64_t arp_in, arp_out, arp_drop, arp_timeout;
	uint64_t ip_in, ip_out;       /* datagrams delivered / sent */
	uint64_t ip_drop;             /* bad header, not ours, no protocol */
	uint64_t ip_csum_err;
	uint64_t ip_frag_in, ip_reassembled, ip_reass_drop, ip_frag_out;
	uint64_t ip_no_route;
	uint64_t icmp_in, icmp_out, icmp_drop, icmp_csum_err;
	uint64_t udp_in, udp_out, udp_drop, udp_csum_err, udp_no_port;
	uint64_t tcp_in, tcp_out, tcp_drop, tcp_csum_err;
	uint64_t tcp_rst_in, tcp_rst_out;
	uint64_t tcp_retransmits, tcp_fast_retransmits, tcp_timeouts;
	uint64_t tcp_dup_acks, tcp_ooo_segs;
	uint64_t tcp_active_opens, tcp_passive_opens, tcp_syn_dropped;
	uint64_t tcp_cookies_sent, tcp_cookies_ok; /* SYN cookies sent, and
	                                           * returned good */
	uint64_t tcp_conn_reset, tcp_conn_timeout;
	uint64_t tcp_mss_lowered;     /* path-MTU discovery made a MSS smaller */
	uint64_t mem_fail;            /* a buffer could not be allocated */
};
void ul_net_stats(struct ul_net_stats *st);
/* The counters as "name value" lines, snprintf-like: returns the length
 * the whole text has, writes at most cap-1 bytes and a NUL. */
int ul_net_format_stats(char *buf, size_t cap);

#endif
