/* Packet buffers: one contiguous block per frame with headroom in front,
 * so each layer on the way out prepends its header without copying, and
 * each layer on the way in strips its header by moving data forward. */
#ifndef NET_PBUF_H
#define NET_PBUF_H

#include <stddef.h>
#include <stdint.h>

/* Room for Ethernet (14), IPv4 (up to 60) and TCP (up to 60) headers. */
#define PBUF_HEADROOM 144
/* Buffers up to this size are recycled through a free list: a full
 * Ethernet frame with headroom to spare. */
#define PBUF_POOL_SIZE 1792

struct pbuf {
	struct pbuf *next; /* link in whatever queue holds it */
	uint8_t *data;     /* first byte of the current layer */
	size_t len;        /* bytes from data on */
	size_t cap;        /* bytes in buf */
	/* Where a received datagram came from, for datagram queues. */
	uint32_t src_addr;
	uint16_t src_port;
	size_t tag; /* for the layer holding it (reassembly: the offset) */
	uint8_t buf[];
};

/* A buffer with len bytes of data after headroom bytes of free space;
 * NULL (and counted) when memory is short. */
struct pbuf *pbuf_alloc(size_t headroom, size_t len);
void pbuf_free(struct pbuf *p); /* NULL is a no-op */
/* Grow the data by n bytes at the front; NULL when the headroom is short. */
uint8_t *pbuf_push(struct pbuf *p, size_t n);
/* Drop n bytes from the front; NULL (and nothing changes) when len < n. */
uint8_t *pbuf_pull(struct pbuf *p, size_t n);
/* Cut the data to len bytes (no-op when it is shorter already). */
void pbuf_trim(struct pbuf *p, size_t len);
/* Bytes from the start of the buffer to data: how much may be pushed. */
size_t pbuf_headroom(const struct pbuf *p);

#endif
