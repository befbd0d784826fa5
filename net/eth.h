/* Ethernet II framing (no 802.1Q, no 802.3 length field: not for us). */
#ifndef NET_ETH_H
#define NET_ETH_H

#include <stdint.h>
#include "netif.h"
#include "pbuf.h"

#define ETH_HLEN 14
#define ETH_TYPE_IP 0x0800
#define ETH_TYPE_ARP 0x0806

extern const uint8_t eth_broadcast[6];

/* Take one received frame (p->data at the Ethernet header); consumes p. */
void eth_input(struct netif *nif, struct pbuf *p);
/* Prepend the header and send; consumes p. 0 or a negative error. */
int eth_output(struct netif *nif, struct pbuf *p, const uint8_t dst[6],
               uint16_t type);

#endif
