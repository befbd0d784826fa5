/* IPv4 forwarding: an image with several interfaces routes datagrams
 * between them (RFC 1812), and an app may look at, rewrite or drop each
 * datagram first: the seam a firewall or a NAT is built on. */
#ifndef UL_FORWARD_H
#define UL_FORWARD_H

#include <stddef.h>
#include <stdint.h>

/* Where ul_forward_route says a datagram goes, besides an interface. */
#define UL_FWD_SELF (-1)    /* to this host (or a broadcast) */
#define UL_FWD_NOROUTE (-2) /* nowhere: no interface reaches it */

/* A datagram that arrived from interface in_if. Its header is checked
 * (version, lengths, header checksum) before the filter sees it; the
 * transport header is not: the filter checks what it reads. */
struct ul_fwd_pkt {
	unsigned in_if;
	uint8_t *ip;  /* the IP header; the filter may rewrite the datagram */
	size_t hlen;  /* IP header length */
	size_t len;   /* total length: hlen + payload */
};

enum ul_fwd_verdict { UL_FWD_PASS, UL_FWD_DROP };

/* Called for every datagram from an interface, before it is delivered
 * to this host or forwarded (by where its destination, after the
 * filter, points). It may rewrite addresses and ports, keeping every
 * checksum right (ul_csum_update16/32). */
typedef enum ul_fwd_verdict (*ul_fwd_filter)(struct ul_fwd_pkt *pk);

/* Start forwarding between the interfaces, with filter (NULL: none). */
void ul_forward_start(ul_fwd_filter filter);
/* Where a datagram to dst goes: an interface index, UL_FWD_SELF or
 * UL_FWD_NOROUTE. */
int ul_forward_route(uint32_t dst);

/* What forwarding did since it started. */
struct ul_fwd_stats {
	uint64_t forwarded;    /* sent on */
	uint64_t dropped;      /* by the filter */
	uint64_t ttl_exceeded; /* answered with ICMP time exceeded */
	uint64_t no_route;     /* answered with ICMP net unreachable */
	uint64_t too_big;      /* past the MTU: "fragmentation needed" */
	uint64_t not_sent;     /* the link (or ARP) refused it */
};
void ul_forward_stats(struct ul_fwd_stats *st);

/* Keep the big-endian checksum at csum right when a 16-bit (32-bit)
 * field it covers changes from old to new (RFC 1624 equation 3). */
void ul_csum_update16(uint8_t *csum, uint16_t old, uint16_t new_);
void ul_csum_update32(uint8_t *csum, uint32_t old, uint32_t new_);

#endif
