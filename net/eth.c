/* Ethernet: keep frames for our MAC or the broadcast address, hand IPv4
 * and ARP up, and frame what the upper layers send. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "arp.h"
#include "eth.h"
#include "ip.h"
#include "stack.h"
#include "wire.h"

const uint8_t eth_broadcast[UL_ETH_ADDR_LEN] = {0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff};

void eth_input(struct netif *nif, struct pbuf *p)
{
	NET_COUNT(eth_in);
	const uint8_t *h = pbuf_pull(p, UL_ETH_HLEN);
	if (!h || (ul_memcmp(h + ETH_DST, nif->mac, UL_ETH_ADDR_LEN) != 0 &&
	           ul_memcmp(h + ETH_DST, eth_broadcast, UL_ETH_ADDR_LEN) != 0)) {
		NET_COUNT(eth_drop);
		pbuf_free(p);
		return;
	}
	switch (rd16(h + ETH_TYPE)) {
	case UL_ETH_TYPE_IPV4:
		ip_input(nif, p, false);
		break;
	case UL_ETH_TYPE_ARP:
		arp_input(nif, p);
		break;
	default:
		NET_COUNT(eth_drop);
		pbuf_free(p);
	}
}

int eth_output(struct netif *nif, struct pbuf *p,
               const uint8_t dst[UL_ETH_ADDR_LEN], uint16_t type)
{
	uint8_t *h = pbuf_push(p, UL_ETH_HLEN);
	int rc = -UL_EINVAL; /* the caller left no headroom */
	if (h) {
		ul_memcpy(h + ETH_DST, dst, UL_ETH_ADDR_LEN);
		ul_memcpy(h + ETH_SRC, nif->mac, UL_ETH_ADDR_LEN);
		wr16(h + ETH_TYPE, type);
		rc = nif->output(nif, p->data, p->len);
		if (rc < 0)
			NET_COUNT(eth_tx_fail);
		else
			NET_COUNT(eth_out);
	}
	pbuf_free(p);
	return rc;
}
