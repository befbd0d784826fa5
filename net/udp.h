/* UDP (RFC 768) over the datagram endpoints of dgram.h. */
#ifndef NET_UDP_H
#define NET_UDP_H

#include <stddef.h>
#include <stdint.h>
#include "dgram.h"
#include "ip.h"

#define UDP_MAX_PAYLOAD (IP_MAX_LEN - IP_HLEN - UDP_HLEN)

/* A received datagram (p->data at the UDP header); consumes p. */
void udp_input(const struct ip_meta *m, struct pbuf *p);
/* Send len bytes from pcb (bound on the way if need be) to dst:dport.
 * Returns len, or -UL_EMSGSIZE, -UL_EINVAL (broadcast not allowed, port
 * 0), -UL_ENETUNREACH, -UL_ENOMEM. */
long udp_output(struct dgram_pcb *pcb, const void *data, size_t len,
                uint32_t dst, uint16_t dport);

#endif
