/* Writing DNS messages. Compression looks for each suffix of a name among
 * the label sequences already in the message; a match becomes a pointer
 * to it. Names read back from our own buffer only point backwards, so
 * name_read can decode them. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "msg.h"
#include "name.h"

int msg_put(struct msg *m, const void *data, size_t len)
{
	if (m->len + len > m->limit)
		return -UL_ENOSPC;
	ul_memcpy(m->buf + m->len, data, len);
	m->len += len;
	return 0;
}

int msg_put16(struct msg *m, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	return msg_put(m, b, 2);
}

/* The offset of a sequence already written that spells suffix, or -1. */
static int find_suffix(const struct msg *m, const uint8_t *suffix)
{
	uint8_t seen[NAME_WIRE_MAX];
	for (unsigned i = 0; i < m->nptrs; i++) {
		size_t pos = m->ptrs[i];
		if (name_read(m->buf, m->len, &pos, seen) && name_eq(seen, suffix))
			return m->ptrs[i];
	}
	return -1;
}

int msg_put_name(struct msg *m, const uint8_t *name, int compress)
{
	for (const uint8_t *s = name; *s; s += 1 + *s) {
		int at = compress ? find_suffix(m, s) : -1;
		if (at >= 0)
			return msg_put16(m, (uint16_t)(0xc000 | at));
		if (m->len < 0x4000 && m->nptrs < MSG_PTRS)
			m->ptrs[m->nptrs++] = (uint16_t)m->len;
		int rc = msg_put(m, s, 1 + (size_t)*s);
		if (rc < 0)
			return rc;
	}
	return msg_put(m, "", 1);
}

int msg_put_rr(struct msg *m, const uint8_t *owner, const struct rr *rr,
               uint32_t ttl)
{
	int rc = msg_put_name(m, owner, 1);
	uint8_t fixed[8] = {
		(uint8_t)(rr->type >> 8), (uint8_t)rr->type, 0, CLASS_IN,
		(uint8_t)(ttl >> 24), (uint8_t)(ttl >> 16), (uint8_t)(ttl >> 8),
		(uint8_t)ttl,
	};
	if (rc == 0)
		rc = msg_put(m, fixed, sizeof fixed);
	size_t rdlen_at = m->len;
	if (rc == 0)
		rc = msg_put16(m, 0);
	/* The bytes before the names, the names, the bytes after them. */
	struct rdata_names at = rdata_names(rr->type);
	size_t off = at.count ? at.at : rr->rdlen;
	if (rc == 0)
		rc = msg_put(m, rr->rdata, off);
	for (unsigned i = 0; rc == 0 && i < at.count; i++) {
		rc = msg_put_name(m, rr->rdata + off, at.compress);
		off += name_len(rr->rdata + off);
	}
	if (rc == 0)
		rc = msg_put(m, rr->rdata + off, rr->rdlen - off);
	if (rc < 0)
		return rc;
	size_t rdlen = m->len - rdlen_at - 2;
	m->buf[rdlen_at] = (uint8_t)(rdlen >> 8);
	m->buf[rdlen_at + 1] = (uint8_t)rdlen;
	return 0;
}
