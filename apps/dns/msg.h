/* Writing a DNS message: names compressed against those already written
 * (RFC 1035 4.1.4), records whole or not at all, within a size limit. */
#ifndef DNS_MSG_H
#define DNS_MSG_H

#include <stddef.h>
#include <stdint.h>
#include "zone.h"

#define MSG_HDR 12
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
