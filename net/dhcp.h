/* The DHCP client (RFC 2131, options from RFC 2132): messages and the
 * per-interface client that leases, renews and rebinds an address. */
#ifndef NET_DHCP_H
#define NET_DHCP_H

#include <stddef.h>
#include <stdint.h>
#include "netif.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_MIN_LEN 300 /* BOOTP's minimum (RFC 1542 2.1) */
#define DHCP_MAX_LEN 576 /* what a client must accept (RFC 2131 2) */

enum dhcp_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_DECLINE = 4,
	DHCP_ACK = 5,
	DHCP_NAK = 6,
	DHCP_RELEASE = 7,
};

/* The fields of a message the client reads or writes; addresses in host
 * order, 0 when absent. Times are seconds. */
struct dhcp_msg {
	uint8_t op;         /* 1 request, 2 reply */
	uint32_t xid;
	uint16_t flags;     /* 0x8000: answer by broadcast */
	uint32_t ciaddr, yiaddr;
	uint8_t chaddr[UL_ETH_ADDR_LEN];
	uint8_t type;       /* enum dhcp_type, 0 if absent */
	uint32_t server_id, requested_ip;
	uint32_t subnet_mask, router, dns;
	uint32_t lease, t1, t2;
};

/* Write a client message into buf (cap >= DHCP_MIN_LEN); returns its
 * length, or 0 when it does not fit. */
size_t dhcp_build(const struct dhcp_msg *m, uint8_t *buf, size_t cap);
/* Read a server's reply: 0, or -UL_EINVAL for anything malformed (not a
 * reply, not Ethernet, no magic cookie, options running off the end, no
 * message type). */
int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *m);

/* Start the client thread for nif. 0 or -UL_ENOMEM. */
int dhcp_start(struct netif *nif);
/* Wait until some interface has a lease: 0, or -UL_ETIMEDOUT. */
int dhcp_wait_bound(uint64_t deadline);

#endif
