/* The TCP connection table: allocation within a hard bound, the 4-tuple
 * hash, listeners and their queues of children, initial sequence numbers,
 * TIME-WAIT bookkeeping, and how a connection ends. */
#include <unilab/errno.h>
#include <unilab/mem.h>
#include "stack.h"
#include "tcp.h"

#define HASH_SIZE 1024u

static struct tcp_pcb *hash[HASH_SIZE];
static struct tcp_pcb *all;       /* every pcb, newest first */
static struct tcp_pcb *listeners; /* chained through hnext */
static unsigned npcbs, ntime_wait;

static unsigned hash_of(uint32_t laddr, uint16_t lport, uint32_t raddr,
                        uint16_t rport)
{
	uint32_t h = raddr ^ laddr * 0x9e3779b1u ^
	             ((uint32_t)rport << 16 | lport) * 0x85ebca6bu;
	return (h ^ h >> 15) & (HASH_SIZE - 1);
}

static struct tcp_pcb **bucket(const struct tcp_pcb *pcb)
{
	return &hash[hash_of(pcb->laddr, pcb->lport, pcb->raddr, pcb->rport)];
}

/* Put pcb, whose 4-tuple is complete, where tcp_lookup finds it. */
static void hash_insert(struct tcp_pcb *pcb)
{
	struct tcp_pcb **b = bucket(pcb);
	pcb->hnext = *b;
	*b = pcb;
}

/* Unlink pcb from the singly linked chain that starts at *link, if on it. */
static void chain_remove(struct tcp_pcb **link, struct tcp_pcb *pcb)
{
	while (*link && *link != pcb)
		link = &(*link)->hnext;
	if (*link)
		*link = pcb->hnext;
	pcb->hnext = NULL;
}

struct tcp_pcb *tcp_new(void)
{
	if (npcbs >= TCP_PCBS_MAX)
		return NULL;
	struct tcp_pcb *pcb = ul_calloc(1, sizeof *pcb);
	if (!pcb) {
		NET_COUNT(mem_fail);
		return NULL;
	}
	rb_init(&pcb->rcvbuf, TCP_BUF_DEFAULT);
	rb_init(&pcb->sndbuf, TCP_BUF_DEFAULT);
	pcb->rto = TCP_RTO_INITIAL;
	pcb->mss = TCP_MSS_DEFAULT;
	pcb->born = net_now();
	tcp_timers_init(pcb);
	pcb->all_next = all;
	if (all)
		all->all_prev = pcb;
	all = pcb;
	npcbs++;
	return pcb;
}

static bool take(struct tcp_pcb **link, struct tcp_pcb *pcb)
{
	while (*link && *link != pcb)
		link = &(*link)->qnext;
	if (!*link)
		return false;
	*link = pcb->qnext;
	return true;
}

static void unlink_child(struct tcp_pcb *pcb)
{
	struct tcp_pcb *l = pcb->listener;
	if (take(&l->syn_q, pcb))
		l->syn_len--;
	else if (take(&l->accept_q, pcb))
		l->accept_len--;
	pcb->qnext = NULL;
	pcb->listener = NULL;
}

static void pcb_free(struct tcp_pcb *pcb)
{
	tcp_timer_stop(pcb);
	ul_timer_cancel(&pcb->ack_timer);
	if (pcb->listener)
		unlink_child(pcb);
	if (pcb->state == TCP_LISTEN)
		chain_remove(&listeners, pcb);
	else if (pcb->rport)
		chain_remove(bucket(pcb), pcb);
	if (pcb->state == TCP_TIME_WAIT)
		ntime_wait--;
	rb_free(&pcb->rcvbuf);
	rb_free(&pcb->sndbuf);
	if (pcb->all_prev)
		pcb->all_prev->all_next = pcb->all_next;
	else
		all = pcb->all_next;
	if (pcb->all_next)
		pcb->all_next->all_prev = pcb->all_prev;
	npcbs--;
	ul_free(pcb);
}

struct tcp_pcb *tcp_lookup(uint32_t laddr, uint16_t lport, uint32_t raddr,
                           uint16_t rport)
{
	struct tcp_pcb *p = hash[hash_of(laddr, lport, raddr, rport)];
	for (; p; p = p->hnext)
		if (p->lport == lport && p->rport == rport &&
		    p->raddr == raddr && p->laddr == laddr)
			return p;
	return NULL;
}

struct tcp_pcb *tcp_find_listener(uint32_t laddr, uint16_t lport)
{
	struct tcp_pcb *wild = NULL;
	for (struct tcp_pcb *p = listeners; p; p = p->hnext) {
		if (p->lport != lport)
			continue;
		if (p->laddr == laddr)
			return p;
		if (p->laddr == 0)
			wild = p;
	}
	return wild;
}

void tcp_listener_add(struct tcp_pcb *pcb)
{
	pcb->hnext = listeners;
	listeners = pcb;
}

void tcp_connection_add(struct tcp_pcb *pcb)
{
	hash_insert(pcb);
}

/* RFC 6528: a clock that ticks every 4 us plus a keyed hash of the
 * connection, so sequence numbers are neither reused soon nor guessable. */
uint32_t tcp_new_iss(uint32_t laddr, uint16_t lport, uint32_t raddr,
                     uint16_t rport)
{
	return (uint32_t)(net_now() / 4000) +
	       net_hash(laddr, raddr, (uint32_t)lport << 16 | rport);
}

/* A full half-open queue answers SYNs with cookies; a child made for a
 * cookie's ACK takes the oldest one's place (it leaves the queue at once),
 * so memory stays bounded. */
struct tcp_pcb *tcp_new_child(struct tcp_pcb *l, uint32_t laddr,
                              uint16_t lport, uint32_t raddr,
                              uint16_t rport)
{
	if (l->syn_len >= TCP_HALFOPEN_MAX) {
		NET_COUNT(tcp_syn_dropped);
		pcb_free(l->syn_q);
	}
	struct tcp_pcb *pcb = tcp_new();
	if (!pcb)
		return NULL;
	pcb->laddr = laddr;
	pcb->lport = lport;
	pcb->raddr = raddr;
	pcb->rport = rport;
	pcb->rcvbuf.limit = l->rcvbuf.limit;
	pcb->sndbuf.limit = l->sndbuf.limit;
	pcb->nodelay = l->nodelay;
	pcb->state = TCP_SYN_RCVD;
	hash_insert(pcb);
	pcb->listener = l;
	struct tcp_pcb **tail = &l->syn_q;
	while (*tail)
		tail = &(*tail)->qnext;
	*tail = pcb;
	l->syn_len++;
	return pcb;
}

bool tcp_child_established(struct tcp_pcb *pcb)
{
	struct tcp_pcb *l = pcb->listener;
	if (l->accept_len >= l->backlog)
		return false;
	unlink_child(pcb);
	pcb->listener = l;
	struct tcp_pcb **tail = &l->accept_q;
	while (*tail)
		tail = &(*tail)->qnext;
	*tail = pcb;
	l->accept_len++;
	return true;
}

struct tcp_pcb *tcp_accept(struct tcp_pcb *l)
{
	struct tcp_pcb *pcb = l->accept_q;
	if (pcb)
		unlink_child(pcb);
	return pcb;
}

void tcp_set_state(struct tcp_pcb *pcb, enum tcp_state state)
{
	if (pcb->state == TCP_TIME_WAIT)
		ntime_wait--;
	if (state == TCP_TIME_WAIT)
		ntime_wait++;
	pcb->state = state;
}

void tcp_notify(struct tcp_pcb *pcb)
{
	if (pcb->listener && pcb->listener->notify &&
	    pcb->state != TCP_SYN_RCVD)
		pcb->listener->notify(pcb->listener->owner);
	if (pcb->notify)
		pcb->notify(pcb->owner);
}

void tcp_finish(struct tcp_pcb *pcb, int err)
{
	tcp_timer_stop(pcb);
	ul_timer_cancel(&pcb->ack_timer);
	tcp_set_state(pcb, TCP_CLOSED);
	if (pcb->listener || pcb->closed) {
		pcb_free(pcb);
		return;
	}
	if (err)
		pcb->error = err;
	rb_free(&pcb->sndbuf);
	tcp_notify(pcb);
}

void tcp_release(struct tcp_pcb *pcb)
{
	pcb_free(pcb);
}

/* Connections the app has closed need no buffers in TIME-WAIT, and there
 * may be only so many of them: the oldest make room. */
void tcp_enter_time_wait(struct tcp_pcb *pcb)
{
	tcp_set_state(pcb, TCP_TIME_WAIT);
	tcp_timer_set(pcb, TCP_TIMER_TIME_WAIT, 2 * TCP_MSL_NS);
	if (pcb->closed) {
		rb_free(&pcb->rcvbuf);
		rb_free(&pcb->sndbuf);
	}
	tcp_notify(pcb);
	while (ntime_wait > TCP_TIME_WAIT_MAX) {
		struct tcp_pcb *oldest = NULL;
		for (struct tcp_pcb *p = all; p; p = p->all_next)
			if (p->state == TCP_TIME_WAIT && p->closed &&
			    p != pcb && (!oldest || p->born < oldest->born))
				oldest = p;
		if (!oldest)
			break;
		pcb_free(oldest);
	}
}

int tcp_port_conflict(const struct tcp_pcb *pcb, uint32_t addr,
                      uint16_t port, bool reuse)
{
	for (const struct tcp_pcb *p = all; p; p = p->all_next) {
		if (p == pcb || p->lport != port)
			continue;
		if (p->laddr && addr && p->laddr != addr)
			continue;
		if (p->state == TCP_LISTEN || !reuse)
			return 1;
	}
	return 0;
}

unsigned tcp_count(void)
{
	return npcbs;
}
