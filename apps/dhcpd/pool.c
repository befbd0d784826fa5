/* The lease table: a linear scan of at most POOL_MAX + STATIC_MAX
 * entries per message, which a DHCP server's rate of messages never
 * notices. A lease whose time has passed is free again without anyone
 * having to sweep the table. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "pool.h"

static struct lease leases[POOL_MAX + STATIC_MAX];
static unsigned ndynamic, nstatic;

void pool_init(uint32_t first, uint32_t count)
{
	ndynamic = count;
	nstatic = 0;
	for (uint32_t i = 0; i < count; i++)
		leases[i] = (struct lease){.addr = first + i};
}

/* Static leases first: a static address inside the range is the static
 * lease's, never the dynamic entry's. */
struct lease *pool_at(uint32_t addr)
{
	for (unsigned i = POOL_MAX; i < POOL_MAX + nstatic; i++)
		if (leases[i].addr == addr)
			return &leases[i];
	for (unsigned i = 0; i < ndynamic; i++)
		if (leases[i].addr == addr)
			return &leases[i];
	return NULL;
}

static struct lease *static_of(const uint8_t mac[MAC_LEN])
{
	for (unsigned i = POOL_MAX; i < POOL_MAX + nstatic; i++)
		if (ul_memcmp(leases[i].mac, mac, MAC_LEN) == 0)
			return &leases[i];
	return NULL;
}

int pool_add_static(const uint8_t mac[MAC_LEN], uint32_t addr)
{
	if (static_of(mac))
		return -UL_EEXIST;
	for (unsigned i = POOL_MAX; i < POOL_MAX + nstatic; i++)
		if (leases[i].addr == addr)
			return -UL_EEXIST;
	if (nstatic == STATIC_MAX)
		return -UL_ENOSPC;
	struct lease *l = &leases[POOL_MAX + nstatic++];
	*l = (struct lease){.addr = addr, .is_static = true};
	ul_memcpy(l->mac, mac, MAC_LEN);
	return 0;
}

bool pool_free(const struct lease *l, uint64_t now)
{
	return l->state == FREE || now >= l->until;
}

/* A dynamic address that is also some client's static one is never
 * offered to anyone else. */
static bool reserved(uint32_t addr)
{
	for (unsigned i = POOL_MAX; i < POOL_MAX + nstatic; i++)
		if (leases[i].addr == addr)
			return true;
	return false;
}

struct lease *pool_of(const uint8_t mac[MAC_LEN], uint64_t now)
{
	struct lease *s = static_of(mac);
	if (s)
		return s;
	for (unsigned i = 0; i < ndynamic; i++) {
		struct lease *l = &leases[i];
		if ((l->state == OFFERED || l->state == BOUND) && now < l->until &&
		    ul_memcmp(l->mac, mac, MAC_LEN) == 0)
			return l;
	}
	return NULL;
}

struct lease *pool_offer(const uint8_t mac[MAC_LEN], uint32_t requested,
                         uint64_t now, uint64_t hold_end)
{
	struct lease *l = pool_of(mac, now);
	if (!l) {
		static const uint8_t nobody[MAC_LEN];
		struct lease *want = NULL, *had = NULL, *fresh = NULL, *any = NULL;
		for (unsigned i = 0; i < ndynamic; i++) {
			struct lease *c = &leases[i];
			if (!pool_free(c, now) || reserved(c->addr))
				continue;
			if (c->addr == requested)
				want = c;
			if (!had && ul_memcmp(c->mac, mac, MAC_LEN) == 0)
				had = c;
			/* Addresses no one has had before others: a client
			 * that had one may come back for it. */
			if (!fresh && ul_memcmp(c->mac, nobody, MAC_LEN) == 0)
				fresh = c;
			if (!any)
				any = c;
		}
		l = want ? want : had ? had : fresh ? fresh : any;
	}
	if (!l)
		return NULL;
	if (l->state != BOUND || now >= l->until) {
		l->state = OFFERED;
		l->until = hold_end;
	}
	ul_memcpy(l->mac, mac, MAC_LEN);
	return l;
}
