/* Answering queries. A query is checked before it is believed: one
 * question, names read with bounded backward pointers, every record of
 * the other sections walked within the message, so counts that lie or
 * lengths past the end give FORMERR, never a read outside it. */
#include <unilab/string.h>
#include "answer.h"
#include "msg.h"
#include "name.h"

enum {
	RC_NOERROR = 0, RC_FORMERR = 1, RC_NXDOMAIN = 3, RC_NOTIMP = 4,
	RC_REFUSED = 5, RC_BADVERS = 16, /* extended: its high bits go in OPT */
};
#define OPT_LEN 11   /* our OPT record: root, type, size, ttl, rdlen 0 */
#define MAX_CHAIN 8  /* CNAMEs followed inside a zone */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) << 16 | rd16(p + 2);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

struct query {
	uint8_t qname[NAME_WIRE_MAX];
	uint16_t qtype, qclass;
	bool edns;
	uint16_t edns_size;
	uint8_t edns_version;
};

struct reply {
	struct msg m;
	struct msg_mark after_question;
	unsigned an, ns, ar;
	bool aa, tc;
	int rcode;
};

/* Skip the records of the answer and authority sections and read the
 * additional one's OPT (RFC 6891 6.1.1). false: malformed. */
static bool read_records(const uint8_t *q, size_t len, size_t pos,
                         unsigned skip, unsigned additional, struct query *qu)
{
	uint8_t name[NAME_WIRE_MAX];
	for (unsigned i = 0; i < skip + additional; i++) {
		if (!name_read(q, len, &pos, name) || pos + RR_LEN > len)
			return false;
		uint16_t type = rd16(q + pos + RR_TYPE);
		uint16_t rdlen = rd16(q + pos + RR_RDLENGTH);
		if (pos + RR_LEN + rdlen > len)
			return false;
		if (i >= skip && type == T_OPT) {
			if (qu->edns || name[0] != 0)
				return false; /* two OPTs, or one not at the root */
			qu->edns = true;
			qu->edns_size = rd16(q + pos + RR_CLASS);
			qu->edns_version = q[pos + OPT_VERSION];
		}
		pos += RR_LEN + (size_t)rdlen;
	}
	return true;
}

static bool has_type(const struct node *nd, uint16_t type)
{
	for (unsigned i = 0; i < nd->nrrs; i++)
		if (nd->rrs[i].type == type)
			return true;
	return false;
}

/* Add nd's records of type (every record for T_ANY) to a section; false
 * when they do not all fit, and then none of them is added. */
static bool put_set(struct reply *r, const struct node *nd, uint16_t type,
                    unsigned *count)
{
	struct msg_mark k = msg_mark(&r->m);
	unsigned n = 0;
	for (unsigned i = 0; i < nd->nrrs; i++) {
		const struct rr *rr = &nd->rrs[i];
		if (type != T_ANY && rr->type != type)
			continue;
		if (msg_put_rr(&r->m, nd->name, rr, rr->ttl) < 0) {
			msg_reset(&r->m, k);
			return false;
		}
		n++;
	}
	*count += n;
	return true;
}

/* An answer or authority set that does not fit: the whole reply becomes
 * "truncated", the question alone, so the client asks again over TCP. */
static void truncate(struct reply *r)
{
	msg_reset(&r->m, r->after_question);
	r->an = r->ns = r->ar = 0;
	r->tc = true;
}

/* The SOA in the authority section of a negative answer, its TTL the
 * lesser of its own and its MINIMUM field (RFC 2308 3). */
static void put_negative(struct reply *r, const struct zone *z)
{
	for (unsigned i = 0; i < z->apex->nrrs; i++) {
		const struct rr *soa = &z->apex->rrs[i];
		if (soa->type != T_SOA)
			continue;
		uint32_t min = rd32(soa->rdata + soa->rdlen - 4);
		if (msg_put_rr(&r->m, z->origin, soa, soa->ttl < min ? soa->ttl : min) < 0)
			truncate(r);
		else
			r->ns++;
		return;
	}
}

/* The addresses of the names nd's records of type point to (NS, MX and
 * SRV targets; glue under a zone cut), as many as fit. */
static void put_additional(struct reply *r, const struct zone *z,
                           const struct node *nd, uint16_t type)
{
	for (unsigned i = 0; i < nd->nrrs; i++) {
		const struct rr *rr = &nd->rrs[i];
		const uint8_t *target = rr_target(rr);
		if ((type != T_ANY && rr->type != type) || rr->type == T_CNAME ||
		    rr->type == T_PTR || !target || !name_under(target, z->origin))
			continue;
		const struct node *t = zone_find(z, target);
		if (t && (!put_set(r, t, T_A, &r->ar) || !put_set(r, t, T_AAAA, &r->ar)))
			return;
	}
}

static bool visited(const struct node **seen, unsigned n, const struct node *nd)
{
	for (unsigned i = 0; i <= n; i++)
		if (seen[i] == nd)
			return true;
	return false;
}

/* The lookup of RFC 1034 4.3.2 step 3 in zone z, following CNAMEs. */
static void resolve(struct reply *r, const struct zone *z, const struct query *qu)
{
	const uint8_t *name = qu->qname;
	unsigned zdepth = name_labels(z->origin);
	const struct node *seen[MAX_CHAIN];
	r->aa = true;
	for (unsigned hop = 0;; hop++) {
		/* Walk down from the apex: a missing name ends it (NXDOMAIN),
		 * a name with NS records below the apex is a zone cut (a
		 * referral). */
		unsigned depth = name_labels(name) - zdepth;
		const struct node *nd = z->apex;
		for (unsigned d = 1; d <= depth; d++) {
			nd = zone_find(z, name_suffix(name, depth - d));
			if (!nd) {
				r->rcode = RC_NXDOMAIN;
				put_negative(r, z);
				return;
			}
			if (has_type(nd, T_NS)) {
				r->aa = hop > 0;
				if (!put_set(r, nd, T_NS, &r->ns))
					truncate(r);
				else
					put_additional(r, z, nd, T_NS);
				return;
			}
		}
		if (qu->qtype != T_CNAME && qu->qtype != T_ANY &&
		    has_type(nd, T_CNAME)) {
			if (!put_set(r, nd, T_CNAME, &r->an)) {
				truncate(r);
				return;
			}
			const uint8_t *target = rr_target(&nd->rrs[0]);
			seen[hop] = nd;
			if (hop + 1 == MAX_CHAIN || !name_under(target, z->origin) ||
			    visited(seen, hop, zone_find(z, target)))
				return; /* too long, another server's name, a loop */
			name = target;
			continue;
		}
		unsigned before = r->an;
		if (!put_set(r, nd, qu->qtype, &r->an)) {
			truncate(r);
			return;
		}
		if (r->an == before)
			put_negative(r, z); /* NODATA */
		else
			put_additional(r, z, nd, qu->qtype);
		return;
	}
}

/* The zone the name is in: the one with the longest origin above it. */
static const struct zone *find_zone(const struct zone *zones, const uint8_t *name)
{
	const struct zone *best = NULL;
	for (const struct zone *z = zones; z; z = z->next)
		if (name_under(name, z->origin) &&
		    (!best || name_labels(z->origin) > name_labels(best->origin)))
			best = z;
	return best;
}

static int classify(const struct query *qu)
{
	if (qu->edns && qu->edns_version != 0)
		return RC_BADVERS;
	if (qu->qtype == T_OPT || qu->qtype == 0)
		return RC_FORMERR;
	if (qu->qtype == T_AXFR || qu->qtype == T_IXFR ||
	    (qu->qtype >= 128 && qu->qtype < T_ANY))
		return RC_NOTIMP; /* zone transfers, MAILA, MAILB */
	if (qu->qclass != CLASS_IN && qu->qclass != CLASS_ANY)
		return RC_REFUSED;
	return RC_NOERROR;
}

size_t dns_answer(const struct zone *zones, const uint8_t *q, size_t qlen,
                  uint8_t *out, size_t cap, bool tcp)
{
	if (qlen < MSG_HDR || cap < UDP_PLAIN ||
	    (rd16(q + HDR_FLAGS) & FLAG_QR))
		return 0;
	struct query qu = {0};
	struct reply r = {.m = {.buf = out, .limit = cap}};
	uint16_t flags = rd16(q + HDR_FLAGS);
	unsigned opcode = flags >> FLAG_OPCODE_SHIFT & FLAG_OPCODE_MASK;
	size_t pos = MSG_HDR;
	bool question = false;
	msg_put(&r.m, q, MSG_HDR); /* the header, rewritten below */
	if (opcode != 0) {
		r.rcode = RC_NOTIMP;
	} else if (rd16(q + HDR_QDCOUNT) != 1 ||
	           !name_read(q, qlen, &pos, qu.qname) || pos + Q_LEN > qlen) {
		r.rcode = RC_FORMERR;
	} else {
		qu.qtype = rd16(q + pos + Q_TYPE);
		qu.qclass = rd16(q + pos + Q_CLASS);
		question = true;
		if (!read_records(q, qlen, pos + Q_LEN,
		                  rd16(q + HDR_ANCOUNT) + rd16(q + HDR_NSCOUNT),
		                  rd16(q + HDR_ARCOUNT), &qu))
			r.rcode = RC_FORMERR;
		else
			r.rcode = classify(&qu);
	}
	if (!tcp) {
		size_t offered = qu.edns && qu.edns_size > UDP_PLAIN ? qu.edns_size
		                                                     : UDP_PLAIN;
		r.m.limit = offered < cap ? offered : cap;
	}
	if (qu.edns)
		r.m.limit -= OPT_LEN;
	if (question) {
		msg_put_name(&r.m, qu.qname, 1);
		msg_put16(&r.m, qu.qtype);
		msg_put16(&r.m, qu.qclass);
	}
	r.after_question = msg_mark(&r.m);
	if (r.rcode == RC_NOERROR) {
		const struct zone *z = find_zone(zones, qu.qname);
		if (z)
			resolve(&r, z, &qu);
		else
			r.rcode = RC_REFUSED;
	}
	if (qu.edns) {
		uint8_t opt[OPT_LEN] = {0, 0, T_OPT, EDNS_SIZE >> 8, EDNS_SIZE & 0xff,
		                        (uint8_t)(r.rcode >> 4), 0, 0, 0, 0, 0};
		r.m.limit += OPT_LEN;
		msg_put(&r.m, opt, OPT_LEN);
		r.ar++;
	}
	/* Of the query's flags, only the opcode and RD stay. */
	uint16_t kept = flags & (FLAG_OPCODE_MASK << FLAG_OPCODE_SHIFT | FLAG_RD);
	wr16(out + HDR_FLAGS, (uint16_t)(FLAG_QR | kept | (r.aa ? FLAG_AA : 0) |
	                                 (r.tc ? FLAG_TC : 0) |
	                                 (r.rcode & FLAG_RCODE_MASK)));
	wr16(out + HDR_QDCOUNT, question);
	wr16(out + HDR_ANCOUNT, (uint16_t)r.an);
	wr16(out + HDR_NSCOUNT, (uint16_t)r.ns);
	wr16(out + HDR_ARCOUNT, (uint16_t)r.ar);
	return r.m.len;
}
