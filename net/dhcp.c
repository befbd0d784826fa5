/* The DHCP client: one thread per interface walks RFC 2131's states
 * (figure 5): INIT/SELECTING with exponential back-off, REQUESTING, BOUND,
 * then RENEWING/REBINDING at T1 until the lease ends. It talks through an
 * ordinary UDP socket bound to its interface. */
#include <stdbool.h>
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include "arp.h"
#include "dhcp.h"
#include "stack.h"

#define SELECT_FIRST_NS (2 * UL_S)
#define SELECT_MAX_NS (64 * UL_S)
#define REQUEST_WAIT_NS (4 * UL_S)
#define REQUEST_TRIES 3
#define RENEW_MIN_NS (60 * UL_S) /* RFC 2131 4.4.5 */
#define DEFAULT_LEASE 3600u

struct client {
	struct netif *nif;
	int fd;
	uint32_t xid;
	uint32_t server;
	uint64_t t1, expiry; /* absolute, ul_now() scale */
	bool gw_ours, dns_ours; /* we set them, so we may change them */
};

static struct client clients[UL_MAX_NET];
static struct ul_waitq bound_waiters = UL_WAITQ_INIT;

static void send_msg(struct client *c, uint8_t type, uint32_t ciaddr,
                     uint32_t requested, uint32_t server)
{
	uint8_t buf[DHCP_MAX_LEN];
	struct dhcp_msg m = {
		.xid = c->xid,
		.flags = ciaddr ? 0 : 0x8000, /* no address yet: broadcast */
		.ciaddr = ciaddr,
		.type = type,
		.requested_ip = requested,
		.server_id = server,
	};
	ul_memcpy(m.chaddr, c->nif->mac, UL_ETH_ADDR_LEN);
	size_t len = dhcp_build(&m, buf, sizeof buf);
	struct ul_sockaddr to = {UL_IP_BROADCAST, DHCP_SERVER_PORT};
	ul_sendto(c->fd, buf, len, 0, &to);
}

/* A reply to our current transaction, of a type in mask (bit 1 << type),
 * before deadline: 0, or -UL_ETIMEDOUT. */
static int await(struct client *c, uint64_t deadline, unsigned mask,
                 struct dhcp_msg *m)
{
	uint8_t buf[DHCP_MAX_LEN * 2];
	for (;;) {
		uint64_t now = ul_now();
		if (now >= deadline)
			return -UL_ETIMEDOUT;
		ul_setsockopt(c->fd, UL_SO_RCVTIMEO, (long)(deadline - now));
		long n = ul_recvfrom(c->fd, buf, sizeof buf, 0, NULL);
		if (n == -UL_ETIMEDOUT)
			return -UL_ETIMEDOUT;
		if (n < 0 || dhcp_parse(buf, (size_t)n, m) < 0 ||
		    m->xid != c->xid ||
		    ul_memcmp(m->chaddr, c->nif->mac, UL_ETH_ADDR_LEN) ||
		    !(mask & (1u << m->type)))
			continue;
		return 0;
	}
}

static unsigned prefix_of(uint32_t mask)
{
	unsigned p = 0;
	while (p < 32 && (mask & (0x80000000u >> p)))
		p++;
	/* A mask with holes is nonsense; a /24 is the likeliest intent. */
	return (p == 32 ? 0xffffffffu : ~(0xffffffffu >> p)) == mask ? p : 24;
}

static uint64_t seconds_from_now(uint32_t s)
{
	return s == 0xffffffffu ? UL_FOREVER : ul_deadline_after(s * UL_S);
}

static void take_lease(struct client *c, const struct dhcp_msg *ack)
{
	struct netif *nif = c->nif;
	uint32_t old = nif->addr;
	unsigned prefix = ack->subnet_mask ? prefix_of(ack->subnet_mask) : 24;
	netif_set_addr(nif, ack->yiaddr, prefix);
	if (ack->router && (net_gateway == 0 || c->gw_ours)) {
		net_gateway = ack->router;
		c->gw_ours = true;
	}
	if (ack->dns && (net_dns == 0 || c->dns_ours)) {
		net_dns = ack->dns;
		c->dns_ours = true;
	}
	uint32_t lease = ack->lease ? ack->lease : DEFAULT_LEASE;
	uint32_t t1 = ack->t1 && ack->t1 < lease ? ack->t1 : lease / 2;
	c->t1 = lease == 0xffffffffu ? UL_FOREVER : seconds_from_now(t1);
	c->expiry = seconds_from_now(lease);
	c->server = ack->server_id;
	if (old != nif->addr) {
		char a[UL_IP_STRLEN], s[UL_IP_STRLEN];
		ul_info("dhcp: if%u leased %s/%u from %s for %u s", nif->index,
		        ul_ip_format(nif->addr, a), prefix,
		        ul_ip_format(c->server, s), lease);
		arp_announce(nif);
	}
	ul_wake_all(&bound_waiters);
}

static void drop_lease(struct client *c)
{
	ul_warn("dhcp: if%u lost its lease", c->nif->index);
	netif_set_addr(c->nif, 0, 0);
}

/* SELECTING and REQUESTING; returns once an ACK has been taken. A
 * retransmitted DISCOVER keeps its xid, so a slow server's offer (some
 * ping the address first) still counts when it comes. */
static void obtain(struct client *c)
{
	uint64_t wait = SELECT_FIRST_NS;
	c->xid = net_random();
	for (;;) {
		struct dhcp_msg offer, ack;
		send_msg(c, DHCP_DISCOVER, 0, 0, 0);
		if (await(c, ul_deadline_after(wait), 1u << DHCP_OFFER,
		          &offer) < 0) {
			wait = wait * 2 > SELECT_MAX_NS ? SELECT_MAX_NS : wait * 2;
			continue;
		}
		for (int i = 0; i < REQUEST_TRIES; i++) {
			send_msg(c, DHCP_REQUEST, 0, offer.yiaddr,
			         offer.server_id);
			if (await(c, ul_deadline_after(REQUEST_WAIT_NS),
			          1u << DHCP_ACK | 1u << DHCP_NAK, &ack) < 0)
				continue;
			if (ack.type == DHCP_ACK && ack.yiaddr) {
				take_lease(c, &ack);
				return;
			}
			break; /* NAK: start over */
		}
		c->xid = net_random();
	}
}

/* BOUND until T1, then RENEWING/REBINDING (broadcast, which every server
 * hears) until an answer or the end of the lease. Returns when the lease
 * is gone. */
static void keep(struct client *c)
{
	for (;;) {
		ul_sleep_until(c->t1);
		bool renewed = false;
		while (!renewed && ul_now() < c->expiry) {
			uint64_t left = c->expiry - ul_now();
			uint64_t wait = left / 2 > RENEW_MIN_NS ? left / 2
			                                        : RENEW_MIN_NS;
			struct dhcp_msg ack;
			c->xid = net_random();
			send_msg(c, DHCP_REQUEST, c->nif->addr, 0, 0);
			if (await(c, ul_deadline_after(wait < left ? wait : left),
			          1u << DHCP_ACK | 1u << DHCP_NAK, &ack) < 0)
				continue;
			if (ack.type == DHCP_NAK || ack.yiaddr != c->nif->addr)
				break;
			take_lease(c, &ack);
			renewed = true;
		}
		if (!renewed) {
			drop_lease(c);
			return;
		}
	}
}

static void *client_thread(void *arg)
{
	struct client *c = arg;
	for (;;) {
		obtain(c);
		keep(c);
	}
	return NULL;
}

int dhcp_start(struct netif *nif)
{
	struct client *c = &clients[nif->index];
	struct ul_sockaddr any = {0, DHCP_CLIENT_PORT};
	c->nif = nif;
	c->fd = ul_socket(UL_SOCK_DGRAM);
	if (c->fd < 0)
		return c->fd;
	ul_setsockopt(c->fd, UL_SO_BINDTODEVICE, (long)nif->index);
	ul_setsockopt(c->fd, UL_SO_BROADCAST, 1);
	int rc = ul_bind(c->fd, &any);
	char name[16];
	ul_snprintf(name, sizeof name, "dhcp%u", nif->index);
	if (rc < 0 || !ul_thread_create(name, client_thread, c, 0)) {
		ul_close(c->fd);
		return rc < 0 ? rc : -UL_ENOMEM;
	}
	return 0;
}

int dhcp_wait_bound(uint64_t deadline)
{
	for (;;) {
		for (unsigned i = 0; i < netif_count(); i++) {
			struct netif *nif = netif_get(i);
			if (nif->dhcp && nif->addr)
				return 0;
		}
		if (ul_wait(&bound_waiters, deadline) == -UL_ETIMEDOUT &&
		    ul_now() >= deadline)
			return -UL_ETIMEDOUT;
	}
}
