/* The interface table and routing: a host with at most a few links, each
 * with one address, and one default gateway. */
#include <unilab/errno.h>
#include <unilab/net.h>
#include <unilab/string.h>
#include "eth.h"
#include "netif.h"
#include "stack.h"

static struct netif *ifs[UL_MAX_NET];
static unsigned nifs;
uint32_t net_gateway;
uint32_t net_dns;

int netif_add(struct netif *nif)
{
	if (nifs == UL_MAX_NET)
		return -UL_ENOSPC;
	nif->index = nifs;
	ifs[nifs++] = nif;
	return 0;
}

unsigned netif_count(void)
{
	return nifs;
}

struct netif *netif_get(unsigned index)
{
	return index < nifs ? ifs[index] : NULL;
}

static uint32_t prefix_mask(unsigned prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

void netif_set_addr(struct netif *nif, uint32_t addr, unsigned prefix)
{
	nif->addr = addr;
	nif->prefix = prefix > 32 ? 32 : prefix;
	nif->mask = prefix_mask(nif->prefix);
}

struct netif *netif_owning(uint32_t addr)
{
	for (unsigned i = 0; i < nifs; i++)
		if (ifs[i]->addr && ifs[i]->addr == addr)
			return ifs[i];
	return NULL;
}

int netif_is_broadcast(const struct netif *nif, uint32_t addr)
{
	if (addr == UL_IP_BROADCAST)
		return 1;
	/* A /31 or /32 has no broadcast address (RFC 3021). */
	return nif->addr && nif->prefix < 31 &&
	       (addr & nif->mask) == (nif->addr & nif->mask) &&
	       (addr | nif->mask) == UL_IP_BROADCAST;
}

int netif_accepts(const struct netif *nif, uint32_t dst)
{
	return nif->addr == 0 || dst == nif->addr ||
	       netif_is_broadcast(nif, dst);
}

static int on_link(const struct netif *nif, uint32_t dst)
{
	return nif->addr && (dst & nif->mask) == (nif->addr & nif->mask);
}

struct netif *netif_route(uint32_t dst, uint32_t *nexthop)
{
	for (unsigned i = 0; i < nifs; i++) {
		if (on_link(ifs[i], dst)) {
			*nexthop = dst;
			return ifs[i];
		}
	}
	if (net_gateway) {
		for (unsigned i = 0; i < nifs; i++) {
			if (on_link(ifs[i], net_gateway)) {
				*nexthop = net_gateway;
				return ifs[i];
			}
		}
	}
	return NULL;
}

void netif_receive(struct netif *nif, const void *frame, size_t len)
{
	struct pbuf *p = pbuf_alloc(0, len);
	if (!p)
		return;
	ul_memcpy(p->data, frame, len);
	eth_input(nif, p);
}

int ul_net_if_get(unsigned index, struct ul_net_if *out)
{
	struct netif *nif = netif_get(index);
	if (!nif)
		return -UL_ENODEV;
	out->index = nif->index;
	ul_memcpy(out->mac, nif->mac, UL_ETH_ADDR_LEN);
	out->mtu = nif->mtu;
	out->addr = nif->addr;
	out->prefix = nif->prefix;
	out->dhcp = nif->dhcp;
	return 0;
}

uint32_t ul_net_gateway(void)
{
	return net_gateway;
}

uint32_t ul_net_dns_server(void)
{
	return net_dns;
}
