/* The connection table: a fixed pool of flows, each hashed twice (by
 * its original and its reply tuple) into one bucket array. A flow past
 * its deadline is removed when a lookup meets it or when the pool runs
 * out. Deadlines follow the flow's state, as a NAT must (RFC 5382 5,
 * RFC 4787 REQ-5): a TCP flow lives long once it is answered and shortly
 * once closed; a UDP or ICMP flow lives while it is used. */
#include <unilab/string.h>
#include <unilab/time.h>
#include "conntrack.h"
#include "wire.h"

#define BUCKETS 2048
#define TCP_OPENING (60 * UL_S)
#define TCP_OPEN (2 * 3600 * UL_S)
#define TCP_CLOSED (10 * UL_S)
#define DGRAM_UNANSWERED (30 * UL_S)
#define DGRAM_ANSWERED (120 * UL_S)

static struct conn pool[CT_MAX];
static struct ct_hnode *buckets[BUCKETS];
static struct conn *free_list;
static bool ready;
static unsigned live;
static uint64_t refused;

static unsigned hash(const struct tuple *t)
{
	uint32_t h = t->src * 2654435761u ^ t->dst * 2246822519u ^
	             ((uint32_t)t->sport << 16 | t->dport) * 3266489917u ^
	             t->proto;
	return (h ^ h >> 15) % BUCKETS;
}

static bool same(const struct tuple *a, const struct tuple *b)
{
	return a->src == b->src && a->dst == b->dst && a->sport == b->sport &&
	       a->dport == b->dport && a->proto == b->proto;
}

static void unlink(struct conn *c, int dir)
{
	struct ct_hnode **pp = &buckets[hash(&c->t[dir])];
	while (*pp && *pp != &c->h[dir])
		pp = &(*pp)->next;
	if (*pp)
		*pp = c->h[dir].next;
}

static void drop(struct conn *c)
{
	unlink(c, CT_ORIG);
	unlink(c, CT_REPLY);
	c->expires = 0;
	c->free_next = free_list;
	free_list = c;
	live--;
}

static struct ct_hnode *lookup(const struct tuple *t)
{
	uint64_t now = ul_now();
	struct ct_hnode **pp = &buckets[hash(t)];
	while (*pp) {
		struct ct_hnode *n = *pp;
		int dir = n == &n->c->h[CT_REPLY];
		if (same(&n->c->t[dir], t)) {
			if (n->c->expires > now)
				return n;
			drop(n->c);
			return NULL;
		}
		pp = &n->next;
	}
	return NULL;
}

struct conn *ct_find(const struct tuple *t, int *dir)
{
	struct ct_hnode *n = lookup(t);
	if (!n)
		return NULL;
	*dir = n == &n->c->h[CT_REPLY];
	return n->c;
}

bool ct_taken(const struct tuple *reply)
{
	return lookup(reply) != NULL;
}

static void sweep(void)
{
	uint64_t now = ul_now();
	for (unsigned i = 0; i < CT_MAX; i++)
		if (pool[i].expires && pool[i].expires <= now)
			drop(&pool[i]);
}

struct conn *ct_add(const struct tuple *orig, const struct tuple *reply)
{
	if (!ready) {
		for (unsigned i = 0; i < CT_MAX; i++) {
			pool[i].free_next = free_list;
			free_list = &pool[i];
		}
		ready = true;
	}
	if (!free_list)
		sweep();
	struct conn *c = free_list;
	if (!c) {
		refused++;
		return NULL;
	}
	free_list = c->free_next;
	ul_memset(c, 0, sizeof *c);
	c->t[CT_ORIG] = *orig;
	c->t[CT_REPLY] = *reply;
	for (int d = 0; d < 2; d++) {
		unsigned b = hash(&c->t[d]);
		c->h[d].c = c;
		c->h[d].next = buckets[b];
		buckets[b] = &c->h[d];
	}
	live++;
	c->expires = ul_now() +
	             (orig->proto == PROTO_TCP ? TCP_OPENING : DGRAM_UNANSWERED);
	return c;
}

void ct_seen(struct conn *c, int dir, uint8_t tcp_flags)
{
	if (dir == CT_REPLY)
		c->replied = true;
	uint64_t life;
	if (c->t[CT_ORIG].proto == PROTO_TCP) {
		if (tcp_flags & TCP_RST)
			c->rst = true;
		if (tcp_flags & TCP_FIN)
			c->fin |= (uint8_t)(1 << dir);
		life = c->rst || c->fin == 3 ? TCP_CLOSED
		       : c->replied         ? TCP_OPEN
		                            : TCP_OPENING;
	} else {
		life = c->replied ? DGRAM_ANSWERED : DGRAM_UNANSWERED;
	}
	c->expires = ul_now() + life;
}

unsigned ct_count(void)
{
	return live;
}

uint64_t ct_refused(void)
{
	return refused;
}
