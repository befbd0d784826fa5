/* A datagram the router looks at: its flow tuple, read from the IP and
 * transport headers (or, for an ICMP error, from the datagram it
 * quotes), and rewriting it for NAT with every checksum kept right. */
#ifndef ROUTER_PACKET_H
#define ROUTER_PACKET_H

#include <stdbool.h>
#include <unilab/forward.h>
#include "conntrack.h"
#include "wire.h"

struct packet {
	struct ul_fwd_pkt *pk;
	uint8_t *l4;      /* the transport header */
	size_t l4len;
	struct tuple t;   /* the flow; for an ICMP error, the flow of the
	                   * datagram it quotes, as a reply to it would be */
	uint8_t tcp_flags;
	bool icmp_error;
	uint8_t *inner;   /* an ICMP error: the quoted IP header */
	size_t inner_hlen;
};

/* false: nothing a flow can be read from (a later fragment, a transport
 * header cut short, an ICMP message that is neither echo nor a well
 * formed error); such a datagram is dropped. Protocols other than TCP,
 * UDP and ICMP have ports 0. */
bool packet_parse(struct ul_fwd_pkt *pk, struct packet *pt);
/* Make the datagram carry flow t: addresses and ports rewritten. */
void packet_rewrite(struct packet *pt, const struct tuple *t);
/* An ICMP error: the quoted datagram becomes quoted (a flow's tuple as
 * its sender sent it) and the error goes to quoted's source; an error
 * from the quoted datagram's destination itself gets from as source. */
void packet_rewrite_error(struct packet *pt, const struct tuple *quoted,
                          uint32_t from);

#endif
