/* Datagram endpoints: UDP sockets and ICMP echo ("ping") sockets share
 * binding, demultiplexing and a bounded receive queue. For a ping
 * endpoint the "port" is the echo identifier. */
#ifndef NET_DGRAM_H
#define NET_DGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ip.h"
#include "pbuf.h"

#define DGRAM_QUEUE_DEFAULT (256u * 1024) /* bytes queued for the app */
#define DGRAM_QUEUE_MAX (4u * 1024 * 1024)

struct dgram_pcb {
	struct dgram_pcb *next;
	uint8_t proto;     /* IP_PROTO_UDP or IP_PROTO_ICMP */
	uint32_t laddr;    /* 0: any of ours */
	uint16_t lport;    /* 0: not bound yet */
	uint32_t raddr;    /* connected peer, 0: none */
	uint16_t rport;
	int ifindex;       /* -1: route; else the only interface it uses,
	                      and then its port may be shared with
	                      endpoints of other interfaces */
	bool broadcast;    /* may send to broadcast addresses */
	struct pbuf *head, *tail; /* received, src_addr/src_port set */
	size_t queued, limit;     /* payload bytes held, and the bound */
	int error;         /* pending error (-UL_ECONNREFUSED), 0: none */
	void (*notify)(void *owner); /* something changed: wake the owner */
	void *owner;
};

struct dgram_pcb *dgram_new(uint8_t proto); /* NULL: no memory */
void dgram_free(struct dgram_pcb *pcb);
/* port 0 picks a free ephemeral one. 0, -UL_EADDRINUSE, -UL_EINVAL
 * (already bound, or addr is not one of ours). */
int dgram_bind(struct dgram_pcb *pcb, uint32_t addr, uint16_t port);
/* Bind to an ephemeral port unless bound already. */
int dgram_autobind(struct dgram_pcb *pcb);
/* Queue a received payload (p->data at it) for pcb; consumes p. */
void dgram_deliver(struct dgram_pcb *pcb, struct pbuf *p, uint32_t src,
                   uint16_t sport);
/* The endpoint a datagram to dst:dport from src:sport, arriving on
 * interface ifindex, belongs to: a connected match first, then one bound
 * to dst, then a wildcard one. Endpoints bound to another interface are
 * not candidates. */
struct dgram_pcb *dgram_lookup(uint8_t proto, unsigned ifindex,
                               uint32_t dst, uint16_t dport, uint32_t src,
                               uint16_t sport);
/* The oldest queued datagram, removed from the queue (or left in it
 * with peek); NULL when there is none. */
struct pbuf *dgram_take(struct dgram_pcb *pcb, bool peek);
/* An ICMP unreachable came back for a datagram local -> remote. */
void dgram_refused(uint32_t laddr, uint16_t lport, uint32_t raddr,
                   uint16_t rport);
/* An echo reply (p->data at its ICMP header) for a ping socket; consumes
 * p. */
void dgram_ping_input(const struct ip_meta *m, struct pbuf *p);

#endif
