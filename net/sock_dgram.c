/* Datagram sockets (UDP and ICMP echo): sendto goes straight out,
 * recvfrom waits for the receive queue. */
#include <unilab/errno.h>
#include <unilab/net.h>
#include <unilab/string.h>
#include "icmp.h"
#include "sock.h"
#include "udp.h"

int sock_dgram_open(struct sock *s)
{
	s->dg = dgram_new(s->type == UL_SOCK_DGRAM ? IP_PROTO_UDP
	                                           : IP_PROTO_ICMP);
	if (!s->dg)
		return -UL_ENOMEM;
	s->dg->notify = sock_wake;
	s->dg->owner = s;
	return 0;
}

long sock_dgram_sendto(struct sock *s, const void *buf, size_t len,
                       const struct ul_sockaddr *to)
{
	struct dgram_pcb *pcb = s->dg;
	if (pcb->error) {
		int e = pcb->error;
		pcb->error = 0;
		return e;
	}
	if (s->type == UL_SOCK_DGRAM)
		return udp_output(pcb, buf, len, to->addr, to->port);
	if (to->addr == 0 || to->addr == UL_IP_BROADCAST)
		return -UL_EINVAL;
	int rc = dgram_autobind(pcb);
	if (rc < 0)
		return rc;
	rc = icmp_echo_output(pcb->lport, buf, len, pcb->laddr, to->addr,
	                      pcb->ifindex);
	return rc < 0 ? rc : (long)len;
}

long sock_dgram_recvfrom(struct sock *s, void *buf, size_t len, int flags,
                         struct ul_sockaddr *from)
{
	struct dgram_pcb *pcb = s->dg;
	uint64_t deadline = sock_deadline(s->rcvtimeo);
	struct pbuf *p;
	while (!(p = dgram_take(pcb, flags & UL_MSG_PEEK))) {
		if (pcb->error) {
			int e = pcb->error;
			pcb->error = 0;
			return e;
		}
		if (s->shut_rd)
			return 0;
		if (sock_nonblock(s, flags))
			return -UL_EAGAIN;
		int rc = sock_wait(s, deadline);
		if (rc < 0)
			return rc;
	}
	size_t n = p->len < len ? p->len : len;
	ul_memcpy(buf, p->data, n);
	if (from) {
		from->addr = p->src_addr;
		from->port = p->src_port;
	}
	if (!(flags & UL_MSG_PEEK))
		pbuf_free(p);
	return (long)n;
}

short sock_dgram_events(const struct sock *s)
{
	short r = UL_POLLOUT;
	if (s->dg->head || s->dg->error || s->shut_rd)
		r |= UL_POLLIN;
	if (s->dg->error)
		r |= UL_POLLERR;
	return r;
}
