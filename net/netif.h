/* Network interfaces: what the stack knows of each link (its address, its
 * MTU, how to hand it a frame) and which one a datagram leaves through.
 * An interface sends through a function pointer, which is the seam a
 * unit test or the fuzzer uses instead of a platform device. */
#ifndef NET_NETIF_H
#define NET_NETIF_H

#include <stddef.h>
#include <stdint.h>
#include "pbuf.h"
#include "platform.h"
#include "wire.h"

struct netif {
	unsigned index;
	uint8_t mac[UL_ETH_ADDR_LEN];
	uint16_t mtu;     /* largest IP datagram the link carries */
	uint32_t addr;    /* 0 while unconfigured */
	uint32_t mask;
	unsigned prefix;
	int dhcp;         /* the address is (to be) leased by DHCP */
	/* Hand one whole Ethernet frame to the link: 0 or a negative error.
	 * The frame is the caller's again when it returns. */
	int (*output)(struct netif *nif, const void *frame, size_t len);
};

/* Register nif (its mac, mtu and output set); its index is assigned.
 * 0, or -UL_ENOSPC past UL_MAX_NET. */
int netif_add(struct netif *nif);
unsigned netif_count(void);
struct netif *netif_get(unsigned index); /* NULL past the last one */
void netif_set_addr(struct netif *nif, uint32_t addr, unsigned prefix);

/* The interface whose address addr is, or NULL. */
struct netif *netif_owning(uint32_t addr);
/* Whether a datagram for dst arriving on nif is addressed to this host:
 * its address, a broadcast, or anything while nif has no address yet (a
 * DHCP client must hear offers sent to the address it will get). */
int netif_accepts(const struct netif *nif, uint32_t dst);
/* Whether addr is a broadcast address on nif (or the limited one). */
int netif_is_broadcast(const struct netif *nif, uint32_t addr);

/* The interface a datagram to dst leaves through and the next hop on it:
 * a directly attached subnet first, else the gateway's. NULL when there
 * is no route. */
struct netif *netif_route(uint32_t dst, uint32_t *nexthop);
extern uint32_t net_gateway; /* 0: none */
extern uint32_t net_dns;     /* 0: none */

/* Copy a received frame into a buffer and run it through the stack (the
 * receive thread reads into buffers directly and calls eth_input). */
void netif_receive(struct netif *nif, const void *frame, size_t len);

#endif
