/* Ethernet II framing (no 802.1Q, no 802.3 length field: not for us). */
#ifndef NET_ETH_H
#define NET_ETH_H

#include <stdint.h>
#include "netif.h"
#include "pbuf.h"
#include "wire.h"

extern const uint8_t eth_broadcast[UL_ETH_ADDR_LEN];

/* Take one received frame (p->data at the Ethernet header); consumes p. */
void eth_input(struct netif *nif, struct pbuf *p);
/* Prepend the header and send; consumes p. 0 or a negative error. */
int eth_output(struct netif *nif, struct pbuf *p,
               const uint8_t dst[UL_ETH_ADDR_LEN], uint16_t type);

#endif
