/* ICMP (RFC 792, RFC 1122 section 3.2.2): echo in both directions and the
 * destination-unreachable errors a host sends and heeds. */
#ifndef NET_ICMP_H
#define NET_ICMP_H

#include <stddef.h>
#include <stdint.h>
#include "ip.h"
#include "pbuf.h"
#include "wire.h"

#define ICMP_ERRORS_PER_SEC 100 /* RFC 1812 4.3.2.8: rate-limit errors */

/* A received ICMP message (p->data at its header); consumes p. */
void icmp_input(const struct ip_meta *m, struct pbuf *p);
/* Answer the datagram m (p->data at its transport header; p is not
 * consumed) with a destination unreachable of the given code, unless
 * RFC 1122 3.2.2 forbids it or the rate limit says no. */
void icmp_send_unreachable(const struct ip_meta *m, const struct pbuf *p,
                           uint8_t code);
/* Send an ICMP error (type, code, and the word after the checksum: the
 * next-hop MTU of "fragmentation needed", else 0) about the datagram at h
 * (hlen bytes of IP header, len bytes in all) to its source, from src
 * out of interface ifindex (-1: by the routing table). It quotes the
 * header and ICMP_QUOTE bytes more (RFC 792). The caller has decided
 * that an error may be sent. */
void icmp_error_output(const uint8_t *h, size_t hlen, size_t len,
                       uint8_t type, uint8_t code, uint32_t word,
                       uint32_t src, int ifindex);
/* Send an echo request: msg (len >= ICMP_HLEN) with its identifier set
 * to ident and its checksum computed. 0 or a negative error. */
int icmp_echo_output(uint16_t ident, const void *msg, size_t len,
                     uint32_t src, uint32_t dst, int ifindex);

#endif
