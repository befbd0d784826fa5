/* Zones in memory: nodes in a hash table that grows with them, and the
 * layout of the names inside each record type's rdata. */
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include "name.h"
#include "zone.h"

struct zone *zone_new(const uint8_t *origin)
{
	struct zone *z = ul_calloc(1, sizeof *z);
	size_t n = name_len(origin);
	if (!z)
		return NULL;
	z->nbuckets = 64;
	z->buckets = ul_calloc(z->nbuckets, sizeof *z->buckets);
	z->origin = ul_malloc(n);
	if (!z->buckets || !z->origin) {
		zone_free(z);
		return NULL;
	}
	ul_memcpy(z->origin, origin, n);
	return z;
}

void zone_free(struct zone *z)
{
	if (!z)
		return;
	for (unsigned b = 0; z->buckets && b < z->nbuckets; b++) {
		struct node *nd = z->buckets[b];
		while (nd) {
			struct node *next = nd->next;
			for (unsigned i = 0; i < nd->nrrs; i++)
				ul_free(nd->rrs[i].rdata);
			ul_free(nd->rrs);
			ul_free(nd->name);
			ul_free(nd);
			nd = next;
		}
	}
	ul_free(z->buckets);
	ul_free(z->origin);
	ul_free(z);
}

struct node *zone_find(const struct zone *z, const uint8_t *name)
{
	struct node *nd = z->buckets[name_hash(name) & (z->nbuckets - 1)];
	while (nd && !name_eq(nd->name, name))
		nd = nd->next;
	return nd;
}

/* Double the table once it holds more nodes than buckets. */
static void grow(struct zone *z)
{
	unsigned nb = z->nbuckets * 2;
	struct node **b = ul_calloc(nb, sizeof *b);
	if (!b)
		return; /* longer chains, still correct */
	for (unsigned i = 0; i < z->nbuckets; i++) {
		struct node *nd = z->buckets[i];
		while (nd) {
			struct node *next = nd->next;
			unsigned h = name_hash(nd->name) & (nb - 1);
			nd->next = b[h];
			b[h] = nd;
			nd = next;
		}
	}
	ul_free(z->buckets);
	z->buckets = b;
	z->nbuckets = nb;
}

static struct node *node_get(struct zone *z, const uint8_t *name)
{
	struct node *nd = zone_find(z, name);
	if (nd)
		return nd;
	size_t n = name_len(name);
	nd = ul_calloc(1, sizeof *nd);
	if (!nd || !(nd->name = ul_malloc(n))) {
		ul_free(nd);
		return NULL;
	}
	ul_memcpy(nd->name, name, n);
	unsigned h = name_hash(name) & (z->nbuckets - 1);
	nd->next = z->buckets[h];
	z->buckets[h] = nd;
	if (++z->nnodes > z->nbuckets)
		grow(z);
	return nd;
}

int zone_add(struct zone *z, const uint8_t *owner, const struct rr *rr)
{
	/* The ancestors first, so every name on the way to the apex exists. */
	unsigned depth = name_labels(owner) - name_labels(z->origin);
	for (unsigned d = 0; d <= depth; d++)
		if (!node_get(z, name_suffix(owner, depth - d)))
			return -UL_ENOMEM;
	struct node *nd = zone_find(z, owner);
	if (!z->apex)
		z->apex = zone_find(z, z->origin);
	for (unsigned i = 0; i < nd->nrrs; i++) {
		struct rr *o = &nd->rrs[i];
		if (o->type == rr->type && o->rdlen == rr->rdlen &&
		    ul_memcmp(o->rdata, rr->rdata, rr->rdlen) == 0)
			return -UL_EEXIST;
	}
	if (nd->nrrs == nd->cap) {
		unsigned cap = nd->cap ? nd->cap * 2 : 2;
		struct rr *r = ul_realloc(nd->rrs, cap * sizeof *r);
		if (!r)
			return -UL_ENOMEM;
		nd->rrs = r;
		nd->cap = cap;
	}
	struct rr *r = &nd->rrs[nd->nrrs];
	*r = *rr;
	r->rdata = ul_malloc(rr->rdlen ? rr->rdlen : 1);
	if (!r->rdata)
		return -UL_ENOMEM;
	ul_memcpy(r->rdata, rr->rdata, rr->rdlen);
	nd->nrrs++;
	z->nrecords++;
	return 0;
}

struct rdata_names rdata_names(uint16_t type)
{
	switch (type) {
	case T_NS:
	case T_CNAME:
	case T_PTR:
		return (struct rdata_names){0, 1, true};
	case T_MX:
		return (struct rdata_names){2, 1, true};
	case T_SOA:
		return (struct rdata_names){0, 2, true};
	case T_SRV:
		return (struct rdata_names){6, 1, false};
	default:
		return (struct rdata_names){0, 0, false};
	}
}

const uint8_t *rr_target(const struct rr *rr)
{
	struct rdata_names at = rdata_names(rr->type);
	if (at.count != 1)
		return NULL;
	return rr->rdata + at.at;
}
