/* IPv4 (RFC 791, RFC 1122 section 3): input validation and delivery,
 * output with routing and fragmentation. */
#ifndef NET_IP_H
#define NET_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "netif.h"
#include "pbuf.h"
#include "wire.h"

#define IP_DEFAULT_TTL 64
#define IP_MAX_LEN 65535

/* What the upper layers learn of a received datagram. */
struct ip_meta {
	struct netif *nif; /* where it arrived */
	uint32_t src, dst;
	uint8_t proto;
	const uint8_t *hdr; /* its IP header, inside the same pbuf */
	size_t hlen;
	int broadcast;      /* dst was a broadcast address */
};

/* A received datagram (p->data at the IP header); consumes p. local: it
 * comes from this host, through the loopback path. */
void ip_input(struct netif *nif, struct pbuf *p, bool local);
/* Send p (p->data at the transport header, PBUF_HEADROOM in front) to
 * dst. src 0 means the outgoing interface's address. ifindex >= 0 forces
 * the interface (and then dst may be the limited broadcast); -1 routes.
 * Consumes p. 0, -UL_ENETUNREACH (no route), -UL_EMSGSIZE, -UL_ENOMEM. */
int ip_output(struct pbuf *p, uint32_t src, uint32_t dst, uint8_t proto,
              int ifindex);
/* The source address ip_output gives a datagram to dst when its src is 0
 * (0 when there is no route or the interface has no address yet). */
uint32_t ip_source_for(uint32_t dst, int ifindex);
/* The largest transport payload+header that leaves unfragmented. */
size_t ip_mtu_for(uint32_t dst);

#endif
