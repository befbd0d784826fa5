/* IPv4 reassembly (RFC 791 section 3.2, RFC 815): bounded in datagrams,
 * in bytes and in time. */
#ifndef NET_IP_REASS_H
#define NET_IP_REASS_H

#include "pbuf.h"

#define REASS_MAX_DATAGRAMS 16
#define REASS_MAX_BYTES (256u * 1024)
#define REASS_TIMEOUT_NS (30ull * 1000 * 1000 * 1000)

/* Add a fragment (p->data at its validated IP header, p->len its total
 * length); consumes p. Returns the whole datagram once the last piece is
 * in (data at a 20-byte-or-longer header whose length and fragment fields
 * describe an unfragmented datagram), else NULL. Overlapping fragments
 * that disagree on where data goes drop the whole datagram (as RFC 5722
 * does for IPv6): reassembly ambiguity is how filters get evaded. */
struct pbuf *ip_reass_add(struct pbuf *p);
/* Datagrams and bytes held now (for tests). */
unsigned ip_reass_count(void);
size_t ip_reass_bytes(void);

#endif
