/* Byte rings for TCP's send and receive buffers. A ring's storage starts
 * empty and doubles as data arrives, up to its limit, so a thousand idle
 * connections cost little while one busy one may hold a full window.
 * Bytes are addressed by their offset from the oldest byte; bytes may be
 * written past len (out-of-order data) and counted in later. */
#ifndef NET_RINGBUF_H
#define NET_RINGBUF_H

#include <stddef.h>
#include <stdint.h>

struct ringbuf {
	uint8_t *buf;
	size_t cap;   /* storage, 0 or a power of two */
	size_t head;  /* index of the oldest byte */
	size_t len;   /* bytes counted in */
	size_t limit; /* the most it may ever hold */
};

void rb_init(struct ringbuf *rb, size_t limit);
void rb_free(struct ringbuf *rb);
/* Write n bytes at offset off (off + n <= limit), growing the storage.
 * Returns 0, or -UL_ENOMEM (nothing written). */
int rb_write_at(struct ringbuf *rb, size_t off, const void *src, size_t n);
/* Append up to n bytes; returns how many fit (0 when out of memory). */
size_t rb_append(struct ringbuf *rb, const void *src, size_t n);
/* Count in n bytes written past len. */
void rb_commit(struct ringbuf *rb, size_t n);
/* Copy n bytes from offset off (off + n <= cap) out, leaving them. */
void rb_read_at(const struct ringbuf *rb, size_t off, void *dst, size_t n);
/* Forget the n oldest bytes (n <= len). */
void rb_consume(struct ringbuf *rb, size_t n);
/* Room left before the limit. */
size_t rb_space(const struct ringbuf *rb);

#endif
