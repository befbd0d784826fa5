/* The calls an app makes on a connection (RFC 9293 3.10.1-3.10.6: OPEN,
 * SEND, RECEIVE, CLOSE, ABORT, STATUS), none of which blocks: the socket
 * layer waits on the events tcp_events reports. */
#include <unilab/errno.h>
#include "netif.h"
#include "stack.h"
#include "tcp.h"

#define EPHEMERAL_FIRST 49152u
#define EPHEMERAL_COUNT 16384u

/* A port no connection uses on addr (and, for a connect, whose 4-tuple
 * is free); 0 when all are taken. */
static uint16_t ephemeral(const struct tcp_pcb *pcb, uint32_t addr)
{
	uint32_t start = net_random() % EPHEMERAL_COUNT;
	for (uint32_t i = 0; i < EPHEMERAL_COUNT; i++) {
		uint16_t port = (uint16_t)(EPHEMERAL_FIRST +
		                           (start + i) % EPHEMERAL_COUNT);
		if (!tcp_port_conflict(pcb, addr, port, false))
			return port;
	}
	return 0;
}

int tcp_bind(struct tcp_pcb *pcb, uint32_t addr, uint16_t port)
{
	if (pcb->lport || pcb->state != TCP_CLOSED || pcb->rport)
		return -UL_EINVAL;
	if (addr && !netif_owning(addr))
		return -UL_EINVAL;
	if (port == 0)
		port = ephemeral(pcb, addr);
	else if (tcp_port_conflict(pcb, addr, port, pcb->reuse))
		return -UL_EADDRINUSE;
	if (port == 0)
		return -UL_EADDRINUSE;
	pcb->laddr = addr;
	pcb->lport = port;
	return 0;
}

int tcp_listen(struct tcp_pcb *pcb, unsigned backlog)
{
	if (pcb->state != TCP_CLOSED || pcb->rport)
		return -UL_EINVAL;
	if (!pcb->lport) {
		int rc = tcp_bind(pcb, 0, 0);
		if (rc < 0)
			return rc;
	} else if (tcp_port_conflict(pcb, pcb->laddr, pcb->lport, true)) {
		return -UL_EADDRINUSE;
	}
	if (backlog < 1)
		backlog = 1;
	pcb->backlog = backlog > TCP_BACKLOG_MAX ? TCP_BACKLOG_MAX : backlog;
	tcp_set_state(pcb, TCP_LISTEN);
	tcp_listener_add(pcb);
	return 0;
}

int tcp_connect(struct tcp_pcb *pcb, uint32_t addr, uint16_t port)
{
	if (pcb->state == TCP_SYN_SENT)
		return -UL_EALREADY;
	if (pcb->state != TCP_CLOSED || pcb->rport)
		return -UL_EINVAL;
	if (addr == 0 || addr == UL_IP_BROADCAST || port == 0)
		return -UL_EINVAL;
	uint32_t laddr = pcb->laddr ? pcb->laddr : ip_source_for(addr, -1);
	if (!laddr)
		return -UL_ENETUNREACH;
	if (!pcb->lport)
		pcb->lport = ephemeral(pcb, laddr);
	if (!pcb->lport || tcp_lookup(laddr, pcb->lport, addr, port))
		return -UL_EADDRINUSE;
	pcb->laddr = laddr;
	pcb->raddr = addr;
	pcb->rport = port;
	pcb->ws_ok = pcb->sack_ok = true;
	pcb->rcv_wscale = tcp_wscale_for(pcb->rcvbuf.limit);
	pcb->iss = tcp_new_iss(laddr, pcb->lport, addr, port);
	pcb->snd_una = pcb->snd_nxt = pcb->snd_max = pcb->recover = pcb->iss;
	tcp_connection_add(pcb);
	tcp_set_state(pcb, TCP_SYN_SENT);
	NET_COUNT(tcp_active_opens);
	tcp_emit(pcb, pcb->iss, 0, TCP_SYN);
	pcb->snd_nxt = pcb->snd_max = pcb->iss + 1;
	pcb->timing = true;
	pcb->rtt_seq = pcb->snd_nxt;
	pcb->rtt_start = net_now();
	tcp_timer_set(pcb, TCP_TIMER_RTO, pcb->rto);
	return 0;
}

static int take_error(struct tcp_pcb *pcb, bool peek)
{
	int e = pcb->error;
	if (!peek)
		pcb->error = 0;
	return e;
}

long tcp_write(struct tcp_pcb *pcb, const void *data, size_t len)
{
	if (pcb->error)
		return take_error(pcb, false);
	if (pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RCVD)
		return -UL_EAGAIN;
	if ((pcb->state != TCP_ESTABLISHED && pcb->state != TCP_CLOSE_WAIT) ||
	    pcb->fin_queued)
		return -UL_ENOTCONN;
	if (len == 0)
		return 0;
	if (rb_space(&pcb->sndbuf) == 0)
		return -UL_EAGAIN;
	size_t n = rb_append(&pcb->sndbuf, data, len);
	if (n == 0)
		return -UL_ENOMEM;
	tcp_output(pcb);
	return (long)n;
}

long tcp_read(struct tcp_pcb *pcb, void *buf, size_t len, bool peek)
{
	size_t n = len < pcb->rcvbuf.len ? len : pcb->rcvbuf.len;
	if (n) {
		rb_read_at(&pcb->rcvbuf, 0, buf, n);
		if (!peek) {
			rb_consume(&pcb->rcvbuf, n);
			tcp_window_update(pcb);
		}
		return (long)n;
	}
	if (pcb->error)
		return take_error(pcb, peek);
	if (pcb->fin_rcvd)
		return 0;
	switch (pcb->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
		return len ? -UL_EAGAIN : 0;
	case TCP_CLOSED:
		return pcb->rport ? 0 : -UL_ENOTCONN;
	default:
		return -UL_ENOTCONN;
	}
}

int tcp_shutdown(struct tcp_pcb *pcb)
{
	switch (pcb->state) {
	case TCP_SYN_SENT:
		tcp_finish(pcb, 0);
		return 0;
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
		tcp_set_state(pcb, TCP_FIN_WAIT_1);
		break;
	case TCP_CLOSE_WAIT:
		tcp_set_state(pcb, TCP_LAST_ACK);
		break;
	case TCP_CLOSED:
	case TCP_LISTEN:
		return -UL_ENOTCONN;
	default:
		return 0; /* closing already */
	}
	pcb->fin_queued = true;
	tcp_output(pcb);
	return 0;
}

void tcp_abort(struct tcp_pcb *pcb)
{
	if (pcb->state >= TCP_SYN_RCVD && pcb->state != TCP_TIME_WAIT)
		tcp_send_rst(pcb);
	tcp_finish(pcb, 0);
}

static void close_listener(struct tcp_pcb *pcb)
{
	while (pcb->syn_q)
		tcp_release(pcb->syn_q);
	while (pcb->accept_q) {
		tcp_send_rst(pcb->accept_q);
		tcp_release(pcb->accept_q);
	}
	tcp_release(pcb);
}

void tcp_close(struct tcp_pcb *pcb)
{
	pcb->closed = true;
	pcb->notify = NULL;
	pcb->owner = NULL;
	switch (pcb->state) {
	case TCP_LISTEN:
		close_listener(pcb);
		return;
	case TCP_CLOSED:
	case TCP_SYN_SENT:
		tcp_release(pcb);
		return;
	case TCP_TIME_WAIT:
		rb_free(&pcb->rcvbuf);
		rb_free(&pcb->sndbuf);
		return;
	case TCP_FIN_WAIT_2:
		tcp_timer_set(pcb, TCP_TIMER_FIN_WAIT_2, TCP_FIN_WAIT_2_NS);
		return;
	default:
		break;
	}
	/* Unread data: the peer must learn it was not all delivered. */
	if (pcb->rcvbuf.len > 0) {
		tcp_abort(pcb);
		return;
	}
	tcp_shutdown(pcb);
}

unsigned tcp_events(const struct tcp_pcb *pcb)
{
	unsigned ev = 0;
	if (pcb->state == TCP_LISTEN)
		return pcb->accept_len ? TCP_EV_READ : 0;
	if (pcb->rcvbuf.len || pcb->fin_rcvd || pcb->error)
		ev |= TCP_EV_READ;
	if (pcb->error)
		ev |= TCP_EV_ERR;
	if ((pcb->state == TCP_ESTABLISHED || pcb->state == TCP_CLOSE_WAIT) &&
	    !pcb->fin_queued && rb_space(&pcb->sndbuf) > 0)
		ev |= TCP_EV_WRITE;
	if ((pcb->state == TCP_CLOSED && pcb->rport) ||
	    pcb->state == TCP_TIME_WAIT)
		ev |= TCP_EV_HUP;
	return ev;
}

void tcp_set_buffers(struct tcp_pcb *pcb, size_t rcv, size_t snd)
{
	if (rcv) {
		rcv = rcv < TCP_BUF_MIN ? TCP_BUF_MIN
		      : rcv > TCP_BUF_MAX ? TCP_BUF_MAX : rcv;
		pcb->rcvbuf.limit = rcv > pcb->rcvbuf.len ? rcv
		                                          : pcb->rcvbuf.len;
	}
	if (snd) {
		snd = snd < TCP_BUF_MIN ? TCP_BUF_MIN
		      : snd > TCP_BUF_MAX ? TCP_BUF_MAX : snd;
		pcb->sndbuf.limit = snd > pcb->sndbuf.len ? snd
		                                          : pcb->sndbuf.len;
	}
}
