/* Growable byte rings. Storage is a power of two so an index wraps with a
 * mask; growing copies the whole old ring, in order, to the new storage. */
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include "ringbuf.h"
#include "stack.h"

#define MIN_CAP 4096u

void rb_init(struct ringbuf *rb, size_t limit)
{
	rb->buf = NULL;
	rb->cap = rb->head = rb->len = 0;
	rb->limit = limit;
}

void rb_free(struct ringbuf *rb)
{
	ul_free(rb->buf);
	rb_init(rb, rb->limit);
}

static int grow(struct ringbuf *rb, size_t need)
{
	size_t cap = rb->cap ? rb->cap : MIN_CAP;
	while (cap < need)
		cap *= 2;
	uint8_t *buf = ul_malloc(cap);
	if (!buf) {
		NET_COUNT(mem_fail);
		return -UL_ENOMEM;
	}
	if (rb->cap)
		rb_read_at(rb, 0, buf, rb->cap);
	ul_free(rb->buf);
	rb->buf = buf;
	rb->cap = cap;
	rb->head = 0;
	return 0;
}

int rb_write_at(struct ringbuf *rb, size_t off, const void *src, size_t n)
{
	if (n == 0)
		return 0;
	if (off + n > rb->cap && grow(rb, off + n) < 0)
		return -UL_ENOMEM;
	size_t at = (rb->head + off) & (rb->cap - 1);
	size_t first = rb->cap - at < n ? rb->cap - at : n;
	ul_memcpy(rb->buf + at, src, first);
	ul_memcpy(rb->buf, (const uint8_t *)src + first, n - first);
	return 0;
}

size_t rb_append(struct ringbuf *rb, const void *src, size_t n)
{
	size_t space = rb_space(rb);
	if (n > space)
		n = space;
	if (n == 0 || rb_write_at(rb, rb->len, src, n) < 0)
		return 0;
	rb->len += n;
	return n;
}

void rb_commit(struct ringbuf *rb, size_t n)
{
	rb->len += n;
}

void rb_read_at(const struct ringbuf *rb, size_t off, void *dst, size_t n)
{
	if (n == 0)
		return;
	size_t at = (rb->head + off) & (rb->cap - 1);
	size_t first = rb->cap - at < n ? rb->cap - at : n;
	ul_memcpy(dst, rb->buf + at, first);
	ul_memcpy((uint8_t *)dst + first, rb->buf, n - first);
}

void rb_consume(struct ringbuf *rb, size_t n)
{
	/* Out-of-order bytes may lie past len, so head only ever moves on. */
	rb->len -= n;
	if (rb->cap)
		rb->head = (rb->head + n) & (rb->cap - 1);
}

size_t rb_space(const struct ringbuf *rb)
{
	return rb->limit - rb->len;
}
