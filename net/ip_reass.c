/* IPv4 reassembly. Each datagram being rebuilt keeps its fragments as
 * received, sorted by offset and never overlapping; it is complete when
 * the last fragment is in and the bytes held add up to its length. A full
 * table or byte budget evicts the oldest datagram, so a flood of bogus
 * fragments costs bounded memory and never blocks fresh traffic for long. */
#include <stdbool.h>
#include <unilab/string.h>
#include <unilab/timer.h>
#include "checksum.h"
#include "ip.h"
#include "ip_reass.h"
#include "stack.h"
#include "wire.h"

struct reass {
	bool used;
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	struct pbuf *frags; /* payload at data, offset in tag */
	size_t bytes;       /* payload bytes held */
	size_t total;       /* the datagram's payload length, once known */
	bool have_last;
	size_t first_hlen;  /* header length of the offset-0 fragment */
	uint64_t started;
	struct ul_timer timer;
};

static struct reass table[REASS_MAX_DATAGRAMS];
static size_t held;
static unsigned active;

static void discard(struct reass *r)
{
	while (r->frags) {
		struct pbuf *p = r->frags;
		r->frags = p->next;
		pbuf_free(p);
	}
	held -= r->bytes;
	r->bytes = 0;
	r->used = false;
	active--;
	ul_timer_cancel(&r->timer);
}

static void drop(struct reass *r)
{
	NET_COUNT(ip_reass_drop);
	discard(r);
}

static void timed_out(struct ul_timer *t, void *arg)
{
	(void)t;
	drop(arg);
}

static struct reass *oldest(const struct reass *except)
{
	struct reass *o = NULL;
	for (unsigned i = 0; i < REASS_MAX_DATAGRAMS; i++) {
		struct reass *r = &table[i];
		if (r->used && r != except && (!o || r->started < o->started))
			o = r;
	}
	return o;
}

static struct reass *lookup(const uint8_t *h)
{
	uint32_t src = rd32(h + IP_SRC), dst = rd32(h + IP_DST);
	uint16_t id = rd16(h + IP_ID);
	for (unsigned i = 0; i < REASS_MAX_DATAGRAMS; i++) {
		struct reass *r = &table[i];
		if (r->used && r->src == src && r->dst == dst && r->id == id &&
		    r->proto == h[IP_PROTO])
			return r;
	}
	struct reass *r = NULL;
	for (unsigned i = 0; i < REASS_MAX_DATAGRAMS && !r; i++)
		if (!table[i].used)
			r = &table[i];
	if (!r) {
		r = oldest(NULL);
		drop(r);
	}
	*r = (struct reass){
		.used = true, .src = src, .dst = dst, .id = id,
		.proto = h[IP_PROTO], .started = net_now(),
	};
	ul_timer_init(&r->timer, timed_out, r);
	ul_timer_start(&r->timer, r->started + REASS_TIMEOUT_NS);
	active++;
	return r;
}

/* Make room for n more bytes by evicting other datagrams; false when even
 * that cannot (n alone is over the budget). */
static bool budget(struct reass *r, size_t n)
{
	while (held + n > REASS_MAX_BYTES) {
		struct reass *o = oldest(r);
		if (!o)
			return false;
		drop(o);
	}
	return true;
}

enum placed { PLACED, DUPLICATE, CONFLICT };

/* Put p (offset off, len bytes) in order, unless it exactly repeats a
 * fragment held already or overlaps one. */
static enum placed insert(struct reass *r, struct pbuf *p, size_t off,
                          size_t len)
{
	struct pbuf **link = &r->frags, *prev = NULL;
	while (*link && (*link)->tag < off) {
		prev = *link;
		link = &prev->next;
	}
	struct pbuf *next = *link;
	if (next && next->tag == off && next->len == len)
		return DUPLICATE;
	if ((next && off + len > next->tag) ||
	    (prev && prev->tag + prev->len > off))
		return CONFLICT;
	p->tag = off;
	p->next = next;
	*link = p;
	r->bytes += len;
	held += len;
	return PLACED;
}

static struct pbuf *assemble(struct reass *r)
{
	struct pbuf *first = r->frags;
	if (r->first_hlen + r->total > IP_MAX_LEN) {
		drop(r);
		return NULL;
	}
	struct pbuf *d = pbuf_alloc(PBUF_HEADROOM, r->first_hlen + r->total);
	if (!d) {
		drop(r);
		return NULL;
	}
	uint8_t *h = d->data;
	ul_memcpy(h, first->data - r->first_hlen, r->first_hlen);
	for (struct pbuf *q = first; q; q = q->next)
		ul_memcpy(h + r->first_hlen + q->tag, q->data, q->len);
	wr16(h + IP_TOTAL_LEN, (uint16_t)(r->first_hlen + r->total));
	wr16(h + IP_FRAG, 0);
	wr16(h + IP_CSUM, 0);
	wr16(h + IP_CSUM, csum(h, r->first_hlen));
	NET_COUNT(ip_reassembled);
	discard(r);
	return d;
}

struct pbuf *ip_reass_add(struct pbuf *p)
{
	const uint8_t *h = p->data;
	size_t hlen = ip_hlen(h);
	size_t len = p->len - hlen;
	uint16_t frag = rd16(h + IP_FRAG);
	size_t off = (size_t)(frag & IP_FRAG_OFFSET) * IP_FRAG_UNIT;
	bool more = frag & IP_FLAG_MF;

	if (len == 0 || (more && len % IP_FRAG_UNIT) ||
	    off + len > IP_MAX_LEN - IP_HLEN) {
		NET_COUNT(ip_reass_drop);
		pbuf_free(p);
		return NULL;
	}
	struct reass *r = lookup(h);
	bool inconsistent =
		(!more && r->have_last && r->total != off + len) ||
		(r->have_last && off + len > r->total);
	if (!more) {
		for (struct pbuf *q = r->frags; q; q = q->next)
			inconsistent |= q->tag + q->len > off + len;
	}
	if (inconsistent || !budget(r, len)) {
		pbuf_free(p);
		drop(r);
		return NULL;
	}
	pbuf_pull(p, hlen);
	switch (insert(r, p, off, len)) {
	case DUPLICATE:
		pbuf_free(p);
		return NULL;
	case CONFLICT:
		pbuf_free(p);
		drop(r);
		return NULL;
	case PLACED:
		break;
	}
	if (off == 0)
		r->first_hlen = hlen;
	if (!more) {
		r->have_last = true;
		r->total = off + len;
	}
	if (r->have_last && r->bytes == r->total)
		return assemble(r);
	return NULL;
}

unsigned ip_reass_count(void)
{
	return active;
}

size_t ip_reass_bytes(void)
{
	return held;
}
