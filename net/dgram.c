/* Datagram endpoints: a list of them (an image has a handful), ephemeral
 * ports, and receive queues that drop, and count, what exceeds their
 * bound instead of growing. */
#include <unilab/errno.h>
#include <unilab/mem.h>
#include "dgram.h"
#include "netif.h"
#include "stack.h"
#include "wire.h"

#define EPHEMERAL_FIRST 49152u
#define EPHEMERAL_COUNT 16384u

static struct dgram_pcb *pcbs;

struct dgram_pcb *dgram_new(uint8_t proto)
{
	struct dgram_pcb *pcb = ul_calloc(1, sizeof *pcb);
	if (!pcb) {
		NET_COUNT(mem_fail);
		return NULL;
	}
	pcb->proto = proto;
	pcb->ifindex = -1;
	pcb->limit = DGRAM_QUEUE_DEFAULT;
	pcb->next = pcbs;
	pcbs = pcb;
	return pcb;
}

void dgram_free(struct dgram_pcb *pcb)
{
	struct dgram_pcb **link = &pcbs;
	while (*link != pcb)
		link = &(*link)->next;
	*link = pcb->next;
	while (pcb->head) {
		struct pbuf *p = pcb->head;
		pcb->head = p->next;
		pbuf_free(p);
	}
	ul_free(pcb);
}

static int port_in_use(uint8_t proto, int ifindex, uint32_t addr,
                       uint16_t port)
{
	for (struct dgram_pcb *q = pcbs; q; q = q->next)
		if (q->proto == proto && q->lport == port &&
		    (q->laddr == 0 || addr == 0 || q->laddr == addr) &&
		    (q->ifindex < 0 || ifindex < 0 || q->ifindex == ifindex))
			return 1;
	return 0;
}

static uint16_t ephemeral(uint8_t proto, int ifindex, uint32_t addr)
{
	uint32_t start = net_random() % EPHEMERAL_COUNT;
	for (uint32_t i = 0; i < EPHEMERAL_COUNT; i++) {
		uint16_t port = (uint16_t)(EPHEMERAL_FIRST +
		                           (start + i) % EPHEMERAL_COUNT);
		if (!port_in_use(proto, ifindex, addr, port))
			return port;
	}
	return 0;
}

int dgram_bind(struct dgram_pcb *pcb, uint32_t addr, uint16_t port)
{
	if (pcb->lport || (addr && !netif_owning(addr)))
		return -UL_EINVAL;
	if (port == 0) {
		port = ephemeral(pcb->proto, pcb->ifindex, addr);
		if (port == 0)
			return -UL_EADDRINUSE;
	} else if (port_in_use(pcb->proto, pcb->ifindex, addr, port)) {
		return -UL_EADDRINUSE;
	}
	pcb->laddr = addr;
	pcb->lport = port;
	return 0;
}

int dgram_autobind(struct dgram_pcb *pcb)
{
	return pcb->lport ? 0 : dgram_bind(pcb, 0, 0);
}

static void notify(struct dgram_pcb *pcb)
{
	if (pcb->notify)
		pcb->notify(pcb->owner);
}

void dgram_deliver(struct dgram_pcb *pcb, struct pbuf *p, uint32_t src,
                   uint16_t sport)
{
	if (pcb->queued + p->len > pcb->limit) {
		if (pcb->proto == IP_PROTO_UDP)
			NET_COUNT(udp_drop);
		else
			NET_COUNT(icmp_drop);
		pbuf_free(p);
		return;
	}
	p->src_addr = src;
	p->src_port = sport;
	p->next = NULL;
	if (pcb->tail)
		pcb->tail->next = p;
	else
		pcb->head = p;
	pcb->tail = p;
	pcb->queued += p->len;
	notify(pcb);
}

struct dgram_pcb *dgram_lookup(uint8_t proto, unsigned ifindex,
                               uint32_t dst, uint16_t dport, uint32_t src,
                               uint16_t sport)
{
	struct dgram_pcb *best = NULL;
	int best_score = -1;
	for (struct dgram_pcb *q = pcbs; q; q = q->next) {
		if (q->proto != proto || q->lport != dport ||
		    (q->laddr && q->laddr != dst) ||
		    (q->ifindex >= 0 && (unsigned)q->ifindex != ifindex))
			continue;
		if (q->raddr && (q->raddr != src || q->rport != sport))
			continue;
		int score = (q->raddr ? 2 : 0) + (q->laddr ? 1 : 0);
		if (score > best_score) {
			best = q;
			best_score = score;
		}
	}
	return best;
}

struct pbuf *dgram_take(struct dgram_pcb *pcb, bool peek)
{
	struct pbuf *p = pcb->head;
	if (!p || peek)
		return p;
	pcb->head = p->next;
	if (!pcb->head)
		pcb->tail = NULL;
	pcb->queued -= p->len;
	p->next = NULL;
	return p;
}

void dgram_refused(uint32_t laddr, uint16_t lport, uint32_t raddr,
                   uint16_t rport)
{
	for (struct dgram_pcb *q = pcbs; q; q = q->next) {
		if (q->proto == IP_PROTO_UDP && q->lport == lport &&
		    (!q->laddr || q->laddr == laddr) && q->raddr == raddr &&
		    q->rport == rport) {
			q->error = -UL_ECONNREFUSED;
			notify(q);
		}
	}
}

void dgram_ping_input(const struct ip_meta *m, struct pbuf *p)
{
	struct dgram_pcb *pcb = dgram_lookup(IP_PROTO_ICMP, m->nif->index,
	                                     m->dst, rd16(p->data + ICMP_ID),
	                                     m->src, 0);
	if (!pcb) {
		NET_COUNT(icmp_drop);
		pbuf_free(p);
		return;
	}
	dgram_deliver(pcb, p, m->src, 0);
}
