/* Packet buffers, with a bounded free list of frame-sized buffers: the
 * receive path allocates one per frame, and the heap is slower than a
 * list pop. */
#include <unilab/mem.h>
#include "pbuf.h"
#include "stack.h"

#define POOL_MAX 256 /* buffers kept for reuse; the rest go to the heap */

static struct pbuf *pool;
static unsigned pool_count;

struct pbuf *pbuf_alloc(size_t headroom, size_t len)
{
	size_t need = headroom + len;
	struct pbuf *p;

	if (need < len) {
		NET_COUNT(mem_fail);
		return NULL;
	}
	if (need <= PBUF_POOL_SIZE && pool) {
		p = pool;
		pool = p->next;
		pool_count--;
	} else {
		size_t cap = need <= PBUF_POOL_SIZE ? PBUF_POOL_SIZE : need;
		p = ul_malloc(sizeof *p + cap);
		if (!p) {
			NET_COUNT(mem_fail);
			return NULL;
		}
		p->cap = cap;
	}
	p->next = NULL;
	p->data = p->buf + headroom;
	p->len = len;
	p->src_addr = 0;
	p->src_port = 0;
	p->tag = 0;
	return p;
}

void pbuf_free(struct pbuf *p)
{
	if (!p)
		return;
	if (p->cap == PBUF_POOL_SIZE && pool_count < POOL_MAX) {
		p->next = pool;
		pool = p;
		pool_count++;
		return;
	}
	ul_free(p);
}

uint8_t *pbuf_push(struct pbuf *p, size_t n)
{
	if (pbuf_headroom(p) < n)
		return NULL;
	p->data -= n;
	p->len += n;
	return p->data;
}

uint8_t *pbuf_pull(struct pbuf *p, size_t n)
{
	if (p->len < n)
		return NULL;
	uint8_t *old = p->data;
	p->data += n;
	p->len -= n;
	return old;
}

void pbuf_trim(struct pbuf *p, size_t len)
{
	if (len < p->len)
		p->len = len;
}

size_t pbuf_headroom(const struct pbuf *p)
{
	return (size_t)(p->data - p->buf);
}
