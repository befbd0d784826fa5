/* Stream sockets: the blocking loops around TCP's non-blocking calls. */
#include <unilab/errno.h>
#include "sock.h"

int sock_tcp_open(struct sock *s)
{
	s->tcp = tcp_new();
	if (!s->tcp)
		return -UL_ENOMEM;
	s->tcp->notify = sock_wake;
	s->tcp->owner = s;
	return 0;
}

int sock_tcp_accept(struct sock *s, struct ul_sockaddr *peer, bool nb)
{
	if (s->tcp->state != TCP_LISTEN)
		return -UL_EINVAL;
	uint64_t deadline = sock_deadline(s->rcvtimeo);
	struct tcp_pcb *c;
	while (!(c = tcp_accept(s->tcp))) {
		if (nb)
			return -UL_EAGAIN;
		int rc = sock_wait(s, deadline);
		if (rc < 0)
			return rc;
	}
	int fd = sock_adopt_tcp(c);
	if (fd < 0) {
		c->closed = true;
		tcp_abort(c);
		return fd;
	}
	if (peer) {
		peer->addr = c->raddr;
		peer->port = c->rport;
	}
	return fd;
}

int sock_tcp_connect(struct sock *s, const struct ul_sockaddr *a, bool nb)
{
	struct tcp_pcb *pcb = s->tcp;
	if (pcb->state == TCP_ESTABLISHED && pcb->raddr == a->addr &&
	    pcb->rport == a->port)
		return 0; /* a non-blocking connect that has completed */
	int rc = tcp_connect(pcb, a->addr, a->port);
	if (rc < 0)
		return rc;
	if (nb)
		return -UL_EINPROGRESS;
	uint64_t deadline = sock_deadline(s->sndtimeo);
	while (pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RCVD) {
		rc = sock_wait(s, deadline);
		if (rc == -UL_EBADF)
			return rc;
		if (rc < 0) {
			tcp_abort(pcb);
			return rc;
		}
	}
	if (pcb->state == TCP_CLOSED) {
		int err = pcb->error ? pcb->error : -UL_ECONNREFUSED;
		pcb->error = 0;
		return err;
	}
	return 0;
}

long sock_tcp_send(struct sock *s, const void *buf, size_t len, int flags)
{
	const uint8_t *p = buf;
	size_t done = 0;
	bool nb = sock_nonblock(s, flags);
	uint64_t deadline = sock_deadline(s->sndtimeo);
	while (done < len) {
		long n = tcp_write(s->tcp, p + done, len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n != -UL_EAGAIN || nb)
			return done ? (long)done : n;
		int rc = sock_wait(s, deadline);
		if (rc < 0)
			return done && rc != -UL_EBADF ? (long)done : rc;
	}
	return (long)done;
}

long sock_tcp_recv(struct sock *s, void *buf, size_t len, int flags)
{
	uint8_t *p = buf;
	size_t got = 0;
	bool nb = sock_nonblock(s, flags);
	bool peek = flags & UL_MSG_PEEK;
	uint64_t deadline = sock_deadline(s->rcvtimeo);
	if (s->shut_rd)
		return 0;
	for (;;) {
		long n = tcp_read(s->tcp, p + got, len - got, peek);
		if (n > 0) {
			got += (size_t)n;
			if (got == len || !(flags & UL_MSG_WAITALL) || peek)
				return (long)got;
			continue;
		}
		if (n == 0 || n != -UL_EAGAIN)
			return got ? (long)got : n;
		if (nb)
			return got ? (long)got : n;
		int rc = sock_wait(s, deadline);
		if (rc < 0)
			return got && rc != -UL_EBADF ? (long)got : rc;
		if (s->shut_rd)
			return (long)got;
	}
}

short sock_tcp_events(const struct sock *s)
{
	unsigned ev = tcp_events(s->tcp);
	short r = 0;
	if ((ev & TCP_EV_READ) || s->shut_rd)
		r |= UL_POLLIN;
	if (ev & TCP_EV_WRITE)
		r |= UL_POLLOUT;
	if (ev & TCP_EV_ERR)
		r |= UL_POLLERR;
	if (ev & TCP_EV_HUP)
		r |= UL_POLLHUP;
	return r;
}
