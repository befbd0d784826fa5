/* The ARP cache. An entry is INCOMPLETE while its requests go out (once a
 * second, ARP_TRIES times, holding a few datagrams), REACHABLE for a
 * minute after an answer, then STALE: still used while it is re-asked, so
 * a long transfer never stalls on an expiry. A new address takes a free
 * entry or the least recently used one that is not in use; when all are
 * in use it is refused rather than let two addresses evict each other. */
#include <stdbool.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/panic.h> /* the arp-ip lab's stubs */
#include <unilab/string.h>
#include <unilab/timer.h>
#include "arp.h"
#include "eth.h"
#include "stack.h"
#include "wire.h"


enum arp_state { ARP_FREE, ARP_INCOMPLETE, ARP_REACHABLE, ARP_STALE };

struct arp_entry {
	enum arp_state state;
	unsigned tries;      /* requests sent in this round */
	struct netif *nif;
	uint32_t ip;
	uint8_t mac[UL_ETH_ADDR_LEN];
	struct pbuf *pending; /* datagrams waiting for the MAC, oldest first */
	unsigned npending;
	uint64_t used;        /* last time it carried a datagram, or was made */
	bool carried;         /* it has carried one */
	struct ul_timer timer;
};

static struct arp_entry *cache;
static unsigned size = ARP_ENTRIES;

int arp_set_size(unsigned entries)
{
	if (entries < ARP_ENTRIES_MIN || entries > ARP_ENTRIES_MAX)
		return -UL_EINVAL;
	if (cache)
		return entries == size ? 0 : -UL_EINVAL; /* in use already */
	size = entries;
	return 0;
}

/* Made on first use, so that a stack that never talks costs nothing. */
static bool have_cache(void)
{
	if (!cache)
		cache = ul_calloc(size, sizeof *cache);
	return cache != NULL;
}

static void send_arp(struct netif *nif, uint16_t op, const uint8_t *dst_mac,
                     const uint8_t *target_mac, uint32_t target_ip)
{
	struct pbuf *p = pbuf_alloc(PBUF_HEADROOM, ARP_LEN);
	if (!p)
		return;
	uint8_t *a = p->data;
	wr16(a + ARP_HRD, ARP_HRD_ETHERNET);
	wr16(a + ARP_PRO, UL_ETH_TYPE_IPV4);
	a[ARP_HLN] = UL_ETH_ADDR_LEN;
	a[ARP_PLN] = IP_ADDR_LEN;
	wr16(a + ARP_OP, op);
	ul_memcpy(a + ARP_SHA, nif->mac, UL_ETH_ADDR_LEN);
	wr32(a + ARP_SPA, nif->addr);
	ul_memcpy(a + ARP_THA, target_mac, UL_ETH_ADDR_LEN);
	wr32(a + ARP_TPA, target_ip);
	NET_COUNT(arp_out);
	eth_output(nif, p, dst_mac, UL_ETH_TYPE_ARP);
}

static void send_request(struct arp_entry *e)
{
	static const uint8_t unknown[UL_ETH_ADDR_LEN];
	e->tries++;
	send_arp(e->nif, ARP_OP_REQUEST, eth_broadcast, unknown, e->ip);
	ul_timer_start(&e->timer, net_deadline(ARP_RETRY_NS));
}

static void drop_pending(struct arp_entry *e)
{
	while (e->pending) {
		struct pbuf *p = e->pending;
		e->pending = p->next;
		pbuf_free(p);
	}
	e->npending = 0;
}

static void release(struct arp_entry *e)
{
	ul_timer_cancel(&e->timer);
	drop_pending(e);
	e->state = ARP_FREE;
}

static void expire(struct ul_timer *t, void *arg)
{
	struct arp_entry *e = arg;
	(void)t;
	switch (e->state) {
	case ARP_REACHABLE:
		/* Unused for a whole lifetime: forget it; else re-ask. */
		if (net_now() - e->used >= ARP_REACHABLE_NS) {
			release(e);
		} else {
			e->state = ARP_STALE;
			e->tries = 0;
			send_request(e);
		}
		break;
	case ARP_INCOMPLETE:
	case ARP_STALE:
		if (e->tries < ARP_TRIES) {
			send_request(e);
		} else {
			NET_COUNT(arp_timeout);
			release(e);
		}
		break;
	case ARP_FREE:
		break;
	}
}

static struct arp_entry *find(const struct netif *nif, uint32_t ip)
{
	if (!have_cache())
		return NULL;
	for (unsigned i = 0; i < size; i++)
		if (cache[i].state != ARP_FREE && cache[i].nif == nif &&
		    cache[i].ip == ip)
			return &cache[i];
	return NULL;
}

static bool in_use(const struct arp_entry *e, uint64_t now)
{
	return e->npending > 0 || (e->carried && now - e->used < ARP_IN_USE_NS);
}

/* A free entry, else the least recently used one not in use; NULL when
 * every entry is in use. A flood of new addresses cannot grow the cache,
 * nor take the entries of the hosts we are talking to. */
static struct arp_entry *claim(struct netif *nif, uint32_t ip)
{
	struct arp_entry *victim = NULL;
	uint64_t now = net_now();
	if (!have_cache())
		return NULL;
	for (unsigned i = 0; i < size; i++) {
		struct arp_entry *e = &cache[i];
		if (e->state == ARP_FREE) {
			victim = e;
			break;
		}
		if (!in_use(e, now) && (!victim || e->used < victim->used))
			victim = e;
	}
	if (!victim)
		return NULL;
	release(victim);
	ul_timer_init(&victim->timer, expire, victim);
	victim->nif = nif;
	victim->ip = ip;
	victim->tries = 0;
	victim->used = now;
	victim->carried = false;
	return victim;
}

static void confirm(struct arp_entry *e, const uint8_t *mac)
{
	/* LAB arp-ip.confirm BEGIN: an answer for e: keep the MAC, make the
	 * entry REACHABLE until ARP_REACHABLE_NS from now (its timer), and
	 * send every datagram that waited for it, oldest first. */
	ul_memcpy(e->mac, mac, UL_ETH_ADDR_LEN);
	e->state = ARP_REACHABLE;
	ul_timer_start(&e->timer, net_deadline(ARP_REACHABLE_NS));
	while (e->pending) {
		struct pbuf *p = e->pending;
		e->pending = p->next;
		p->next = NULL;
		eth_output(e->nif, p, e->mac, UL_ETH_TYPE_IPV4);
	}
	e->npending = 0;
	/* LAB arp-ip.confirm END: (void)e; (void)mac; ul_panic("lab arp-ip: confirm is not written yet"); */
}

static int valid_sender(const uint8_t *mac, uint32_t ip)
{
	return ip != 0 && ip != UL_IP_BROADCAST && !(mac[0] & ETH_GROUP);
}

void arp_input(struct netif *nif, struct pbuf *p)
{
	/* LAB arp-ip.input BEGIN: drop (counting arp_drop) a packet that is
	 * short or not Ethernet/IPv4 with 6- and 4-byte addresses, not a
	 * request or a reply, or from a sender that cannot be one
	 * (valid_sender). Then RFC 826's merge: update an entry we have for
	 * the sender (confirm); make one (claim) only when the packet is for
	 * our address; answer a request for our address with a reply. */
	const uint8_t *a = p->data;
	NET_COUNT(arp_in);
	if (p->len < ARP_LEN || rd16(a + ARP_HRD) != ARP_HRD_ETHERNET ||
	    rd16(a + ARP_PRO) != UL_ETH_TYPE_IPV4 || a[ARP_HLN] != UL_ETH_ADDR_LEN ||
	    a[ARP_PLN] != IP_ADDR_LEN ||
	    (rd16(a + ARP_OP) != ARP_OP_REQUEST &&
	     rd16(a + ARP_OP) != ARP_OP_REPLY) ||
	    !valid_sender(a + ARP_SHA, rd32(a + ARP_SPA))) {
		NET_COUNT(arp_drop);
		pbuf_free(p);
		return;
	}
	uint16_t op = rd16(a + ARP_OP);
	uint8_t sha[UL_ETH_ADDR_LEN];
	ul_memcpy(sha, a + ARP_SHA, UL_ETH_ADDR_LEN);
	uint32_t spa = rd32(a + ARP_SPA), tpa = rd32(a + ARP_TPA);
	pbuf_free(p);

	/* RFC 826's merge: update what we know; learn a new sender only
	 * when it is talking to us (it will surely be answered soon). */
	int for_us = nif->addr != 0 && tpa == nif->addr;
	struct arp_entry *e = find(nif, spa);
	if (!e && for_us)
		e = claim(nif, spa);
	if (e)
		confirm(e, sha);
	if (for_us && op == ARP_OP_REQUEST)
		send_arp(nif, ARP_OP_REPLY, sha, sha, spa);
	/* LAB arp-ip.input END: (void)nif; (void)p; (void)valid_sender; (void)confirm;
	 * ul_panic("lab arp-ip: arp_input is not written yet"); */
}

int arp_output(struct netif *nif, struct pbuf *p, uint32_t nexthop)
{
	if (netif_is_broadcast(nif, nexthop))
		return eth_output(nif, p, eth_broadcast, UL_ETH_TYPE_IPV4);
	/* LAB arp-ip.resolve BEGIN: a known address (an entry that is not
	 * INCOMPLETE) sends at once; mark the entry used (used, carried).
	 * Otherwise claim an entry (none free: drop, -UL_ENOMEM), make it
	 * INCOMPLETE and ask (send_request), then queue the datagram at the
	 * tail of its pending list, at most ARP_PENDING_MAX (drop the oldest
	 * beyond). Return 0 when queued. */
	struct arp_entry *e = find(nif, nexthop);
	if (e && e->state != ARP_INCOMPLETE) {
		e->used = net_now();
		e->carried = true;
		return eth_output(nif, p, e->mac, UL_ETH_TYPE_IPV4);
	}
	if (!e) {
		e = claim(nif, nexthop);
		if (!e) {
			NET_COUNT(arp_drop);
			pbuf_free(p);
			return -UL_ENOMEM;
		}
		e->state = ARP_INCOMPLETE;
		send_request(e);
	}
	e->used = net_now();
	e->carried = true;
	if (e->npending == ARP_PENDING_MAX) {
		struct pbuf *old = e->pending;
		e->pending = old->next;
		e->npending--;
		pbuf_free(old);
		NET_COUNT(arp_drop);
	}
	p->next = NULL;
	struct pbuf **tail = &e->pending;
	while (*tail)
		tail = &(*tail)->next;
	*tail = p;
	e->npending++;
	return 0;
	/* LAB arp-ip.resolve END: (void)claim; (void)p; ul_panic("lab arp-ip: arp_output is not written yet"); */
}

void arp_announce(struct netif *nif)
{
	static const uint8_t unknown[UL_ETH_ADDR_LEN];
	if (nif->addr)
		send_arp(nif, ARP_OP_REQUEST, eth_broadcast, unknown,
		         nif->addr);
}

int arp_lookup(const struct netif *nif, uint32_t ip, uint8_t mac[UL_ETH_ADDR_LEN])
{
	const struct arp_entry *e = find(nif, ip);
	if (!e || e->state == ARP_INCOMPLETE)
		return -UL_ENOENT;
	ul_memcpy(mac, e->mac, UL_ETH_ADDR_LEN);
	return 0;
}
