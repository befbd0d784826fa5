/* Zones held in memory: the records of each name (a node), found through
 * a hash table of owner names. Every name between a record's owner and the
 * apex has a node too (an "empty non-terminal" when it has no records), so
 * a missing node means the name does not exist (NXDOMAIN). */
#ifndef DNS_ZONE_H
#define DNS_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_MX = 15,
	T_TXT = 16, T_AAAA = 28, T_SRV = 33, T_OPT = 41,
	T_IXFR = 251, T_AXFR = 252, T_ANY = 255,
};
#define CLASS_IN 1
#define CLASS_ANY 255

/* One record. rdata is in wire form, but names in it are never
 * compressed: the writer compresses them as it copies. */
struct rr {
	uint16_t type;
	uint16_t rdlen;
	uint32_t ttl;
	uint8_t *rdata;
};

struct node {
	uint8_t *name;
	struct node *next; /* in its hash bucket */
	struct rr *rrs;
	unsigned nrrs, cap;
};

struct zone {
	uint8_t *origin; /* the apex: the owner of the SOA */
	struct node *apex;
	struct node **buckets;
	unsigned nbuckets, nnodes;
	unsigned nrecords;
	struct zone *next;
};

/* A new empty zone for origin (wire form); NULL when out of memory. */
struct zone *zone_new(const uint8_t *origin);
void zone_free(struct zone *z);
/* Add a record at owner (at or below the origin), making the nodes on
 * the way. 0, -UL_EEXIST for an exact duplicate (harmless; not added),
 * -UL_ENOMEM. */
int zone_add(struct zone *z, const uint8_t *owner, const struct rr *rr);
struct node *zone_find(const struct zone *z, const uint8_t *name);

/* Where the names inside a record's rdata are: the offset of the first,
 * how many follow it back to back, and whether the writer may compress
 * them (RFC 3597 4: only the types of RFC 1035). */
struct rdata_names {
	unsigned at, count;
	bool compress;
};
struct rdata_names rdata_names(uint16_t type);
/* The name an NS, CNAME, PTR, MX or SRV record points to; NULL for
 * other types. */
const uint8_t *rr_target(const struct rr *rr);

/* Read a master file (RFC 1035 5) from text (len bytes; file names it in
 * messages). Its first record must be the SOA, whose owner is the apex.
 * Returns the zone, or NULL with the reason in err (errcap bytes):
 * "FILE:LINE: what is wrong". */
struct zone *zone_parse(const char *file, const char *text, size_t len,
                        char *err, size_t errcap);

#endif
