/* Writing a DNS message: names compressed against those already written
 * (RFC 1035 4.1.4), records whole or not at all, within a size limit. */
#ifndef DNS_MSG_H
#define DNS_MSG_H

#include <stddef.h>
#include <stdint.h>
#include "zone.h"

/* The header (RFC 1035 4.1.1) at its byte offsets, and its flags. */
#define HDR_ID 0
#define HDR_FLAGS 2
#define HDR_QDCOUNT 4
#define HDR_ANCOUNT 6
#define HDR_NSCOUNT 8
#define HDR_ARCOUNT 10
#define MSG_HDR 12
#define FLAG_QR 0x8000 /* a response */
#define FLAG_OPCODE_SHIFT 11
#define FLAG_OPCODE_MASK 0xf
#define FLAG_AA 0x0400
#define FLAG_TC 0x0200
#define FLAG_RD 0x0100
#define FLAG_RCODE_MASK 0x000f
/* A question after its name (4.1.2), a record after its owner's name
 * (4.1.3; an OPT record's class is the UDP size it offers, its TTL the
 * extended rcode, version and flags: RFC 6891 6.1.2). */
#define Q_TYPE 0
#define Q_CLASS 2
#define Q_LEN 4
#define RR_TYPE 0
#define RR_CLASS 2
#define RR_TTL 4
#define RR_RDLENGTH 8
#define RR_LEN 10
#define OPT_VERSION (RR_TTL + 1)
#define MSG_PTRS 128 /* name suffixes remembered for compression */

struct msg {
	uint8_t *buf;
	size_t len, limit; /* bytes written; the most there may be */
	uint16_t ptrs[MSG_PTRS]; /* offsets of label sequences written */
	unsigned nptrs;
};

/* A point to go back to when a record set does not fit. */
struct msg_mark {
	size_t len;
	unsigned nptrs;
};

static inline struct msg_mark msg_mark(const struct msg *m)
{
	return (struct msg_mark){m->len, m->nptrs};
}

static inline void msg_reset(struct msg *m, struct msg_mark k)
{
	m->len = k.len;
	m->nptrs = k.nptrs;
}

/* Each returns 0, or -UL_ENOSPC when the limit is reached (the message
 * is then partly written: reset it to a mark). */
int msg_put(struct msg *m, const void *data, size_t len);
int msg_put16(struct msg *m, uint16_t v);
int msg_put_name(struct msg *m, const uint8_t *name, int compress);
/* A whole resource record: owner, type, class IN, ttl, rdata. */
int msg_put_rr(struct msg *m, const uint8_t *owner, const struct rr *rr,
               uint32_t ttl);

#endif
