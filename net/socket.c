/* The socket API: the descriptor table, the calls that are the same for
 * every kind of socket, options, and ul_poll. */
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/time.h>
#include "sock.h"
#include "stack.h"

#define FD_MAX 65536

static struct sock **table;
static int table_cap;
static int lowest_free; /* every descriptor below it is in use */
static struct ul_waitq pollers = UL_WAITQ_INIT;

void sock_wake(void *owner)
{
	struct sock *s = owner;
	ul_wake_all(&s->wq);
	ul_wake_all(&pollers);
}

uint64_t sock_deadline(uint64_t timeout)
{
	return timeout ? ul_deadline_after(timeout) : UL_FOREVER;
}

bool sock_nonblock(const struct sock *s, int flags)
{
	return s->nonblock || (flags & UL_MSG_DONTWAIT);
}

int sock_wait(struct sock *s, uint64_t deadline)
{
	s->users++;
	int rc = ul_wait(&s->wq, deadline);
	s->users--;
	if (s->dead) {
		if (s->users == 0)
			ul_free(s);
		return -UL_EBADF;
	}
	return rc;
}

/* The lowest free descriptor, found from lowest_free on: opening many
 * sockets does not scan the whole table each time. */
static int table_slot(void)
{
	for (int fd = lowest_free; fd < table_cap; fd++)
		if (!table[fd])
			return fd;
	if (table_cap >= FD_MAX)
		return -UL_ENOSPC;
	int cap = table_cap ? table_cap * 2 : 64;
	struct sock **t = ul_realloc(table, (size_t)cap * sizeof *t);
	if (!t)
		return -UL_ENOMEM;
	for (int fd = table_cap; fd < cap; fd++)
		t[fd] = NULL;
	int fd = table_cap;
	table = t;
	table_cap = cap;
	return fd;
}

/* A new socket in the lowest free descriptor: 0, -UL_ENOSPC when the
 * table is at FD_MAX, -UL_ENOMEM. */
static int sock_alloc(int type, struct sock **out)
{
	int fd = table_slot();
	if (fd < 0)
		return fd;
	struct sock *s = ul_calloc(1, sizeof *s);
	if (!s)
		return -UL_ENOMEM;
	s->type = type;
	s->fd = fd;
	table[fd] = s;
	lowest_free = fd + 1;
	*out = s;
	return 0;
}

static void sock_release(struct sock *s)
{
	table[s->fd] = NULL;
	if (s->fd < lowest_free)
		lowest_free = s->fd;
	if (s->users) {
		s->dead = true;
		ul_wake_all(&s->wq);
	} else {
		ul_free(s);
	}
}

static struct sock *lookup(int fd)
{
	return fd >= 0 && fd < table_cap ? table[fd] : NULL;
}

int sock_adopt_tcp(struct tcp_pcb *pcb)
{
	struct sock *s;
	int rc = sock_alloc(UL_SOCK_STREAM, &s);
	if (rc < 0)
		return rc;
	s->tcp = pcb;
	pcb->notify = sock_wake;
	pcb->owner = s;
	return s->fd;
}

int ul_socket(int type)
{
	if (type != UL_SOCK_STREAM && type != UL_SOCK_DGRAM &&
	    type != UL_SOCK_PING)
		return -UL_EINVAL;
	int started = net_autostart();
	if (started < 0)
		return started;
	struct sock *s;
	int rc = sock_alloc(type, &s);
	if (rc < 0)
		return rc;
	rc = type == UL_SOCK_STREAM ? sock_tcp_open(s) : sock_dgram_open(s);
	if (rc < 0) {
		sock_release(s);
		return rc;
	}
	return s->fd;
}

/* ul_close (core/close.c) comes here for a socket's descriptor. */
int ul_sock_close(int fd)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (s->tcp)
		tcp_close(s->tcp);
	else
		dgram_free(s->dg);
	sock_release(s);
	ul_wake_all(&pollers);
	return 0;
}

int ul_bind(int fd, const struct ul_sockaddr *a)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (!a)
		return -UL_EINVAL;
	return s->tcp ? tcp_bind(s->tcp, a->addr, a->port)
	              : dgram_bind(s->dg, a->addr, a->port);
}

int ul_listen(int fd, int backlog)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (!s->tcp)
		return -UL_ENOTSUP;
	return tcp_listen(s->tcp, backlog < 1 ? 1 : (unsigned)backlog);
}

int ul_socket_serve(int type, uint16_t port, int backlog)
{
	int fd = ul_socket(type);
	struct ul_sockaddr any = {UL_IP_ANY, port};
	if (fd < 0)
		return fd;
	int rc = ul_bind(fd, &any);
	if (rc == 0 && type == UL_SOCK_STREAM)
		rc = ul_listen(fd, backlog);
	if (rc == 0)
		rc = ul_setsockopt(fd, UL_SO_NONBLOCK, 1);
	if (rc < 0) {
		ul_close(fd);
		return rc;
	}
	return fd;
}

int ul_accept(int fd, struct ul_sockaddr *peer)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (!s->tcp)
		return -UL_ENOTSUP;
	return sock_tcp_accept(s, peer, s->nonblock);
}

int ul_connect(int fd, const struct ul_sockaddr *a)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (!a)
		return -UL_EINVAL;
	if (s->tcp)
		return sock_tcp_connect(s, a, s->nonblock);
	if (a->addr == 0) {
		s->dg->raddr = 0;
		s->dg->rport = 0;
		return 0;
	}
	if (s->type == UL_SOCK_DGRAM && a->port == 0)
		return -UL_EINVAL;
	int rc = dgram_autobind(s->dg);
	if (rc < 0)
		return rc;
	s->dg->raddr = a->addr;
	s->dg->rport = s->type == UL_SOCK_DGRAM ? a->port : 0;
	return 0;
}

long ul_send(int fd, const void *buf, size_t len, int flags)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (s->tcp)
		return sock_tcp_send(s, buf, len, flags);
	if (!s->dg->raddr)
		return -UL_ENOTCONN;
	struct ul_sockaddr to = {s->dg->raddr, s->dg->rport};
	return sock_dgram_sendto(s, buf, len, &to);
}

long ul_recv(int fd, void *buf, size_t len, int flags)
{
	return ul_recvfrom(fd, buf, len, flags, NULL);
}

long ul_sendto(int fd, const void *buf, size_t len, int flags,
               const struct ul_sockaddr *to)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (s->tcp || !to)
		return ul_send(fd, buf, len, flags);
	return sock_dgram_sendto(s, buf, len, to);
}

long ul_recvfrom(int fd, void *buf, size_t len, int flags,
                 struct ul_sockaddr *from)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (s->tcp) {
		if (from)
			ul_getpeername(fd, from);
		return sock_tcp_recv(s, buf, len, flags);
	}
	return sock_dgram_recvfrom(s, buf, len, flags, from);
}

int ul_shutdown(int fd, int how)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (how != UL_SHUT_RD && how != UL_SHUT_WR && how != UL_SHUT_RDWR)
		return -UL_EINVAL;
	if (how != UL_SHUT_WR)
		s->shut_rd = true;
	int rc = 0;
	if (how != UL_SHUT_RD && s->tcp)
		rc = tcp_shutdown(s->tcp);
	sock_wake(s);
	return rc;
}

int ul_getsockname(int fd, struct ul_sockaddr *a)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (!a)
		return -UL_EINVAL;
	a->addr = s->tcp ? s->tcp->laddr : s->dg->laddr;
	a->port = s->tcp ? s->tcp->lport : s->dg->lport;
	return 0;
}

int ul_getpeername(int fd, struct ul_sockaddr *a)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (!a)
		return -UL_EINVAL;
	a->addr = s->tcp ? s->tcp->raddr : s->dg->raddr;
	a->port = s->tcp ? s->tcp->rport : s->dg->rport;
	return a->addr ? 0 : -UL_ENOTCONN;
}

static int set_flag(bool *flag, long value)
{
	*flag = value != 0;
	return 0;
}

int ul_setsockopt(int fd, int opt, long value)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (value < 0 && opt != UL_SO_BINDTODEVICE)
		return -UL_EINVAL;
	switch (opt) {
	case UL_SO_RCVTIMEO:
		s->rcvtimeo = (uint64_t)value;
		return 0;
	case UL_SO_SNDTIMEO:
		s->sndtimeo = (uint64_t)value;
		return 0;
	case UL_SO_NONBLOCK:
		return set_flag(&s->nonblock, value);
	case UL_SO_RCVBUF:
		if (s->tcp)
			tcp_set_buffers(s->tcp, (size_t)value, 0);
		else
			s->dg->limit = (size_t)value > DGRAM_QUEUE_MAX
			                       ? DGRAM_QUEUE_MAX : (size_t)value;
		return 0;
	case UL_SO_SNDBUF:
		if (s->tcp)
			tcp_set_buffers(s->tcp, 0, (size_t)value);
		return 0;
	case UL_SO_REUSEADDR:
		return s->tcp ? set_flag(&s->tcp->reuse, value) : 0;
	case UL_SO_BROADCAST:
		return s->tcp ? -UL_ENOTSUP : set_flag(&s->dg->broadcast, value);
	case UL_SO_BINDTODEVICE:
		if (s->tcp)
			return -UL_ENOTSUP;
		if (value < -1 || value >= UL_MAX_NET)
			return -UL_EINVAL;
		s->dg->ifindex = (int)value;
		return 0;
	case UL_TCP_NODELAY:
		if (!s->tcp)
			return -UL_ENOTSUP;
		set_flag(&s->tcp->nodelay, value);
		tcp_output(s->tcp);
		return 0;
	default:
		return -UL_EINVAL;
	}
}

static int pending_error(struct sock *s)
{
	int *e = s->tcp ? &s->tcp->error : &s->dg->error;
	int err = *e;
	*e = 0;
	return err;
}

int ul_getsockopt(int fd, int opt, long *value)
{
	struct sock *s = lookup(fd);
	if (!s)
		return -UL_EBADF;
	if (!value)
		return -UL_EINVAL;
	switch (opt) {
	case UL_SO_RCVTIMEO:
		*value = (long)s->rcvtimeo;
		return 0;
	case UL_SO_SNDTIMEO:
		*value = (long)s->sndtimeo;
		return 0;
	case UL_SO_NONBLOCK:
		*value = s->nonblock;
		return 0;
	case UL_SO_RCVBUF:
		*value = (long)(s->tcp ? s->tcp->rcvbuf.limit : s->dg->limit);
		return 0;
	case UL_SO_SNDBUF:
		*value = s->tcp ? (long)s->tcp->sndbuf.limit : 0;
		return 0;
	case UL_SO_REUSEADDR:
		*value = s->tcp ? s->tcp->reuse : 0;
		return 0;
	case UL_SO_BROADCAST:
		*value = s->dg ? s->dg->broadcast : 0;
		return 0;
	case UL_SO_BINDTODEVICE:
		*value = s->dg ? s->dg->ifindex : -1;
		return 0;
	case UL_SO_ERROR:
		*value = pending_error(s);
		return 0;
	case UL_TCP_NODELAY:
		*value = s->tcp ? s->tcp->nodelay : 0;
		return 0;
	default:
		return -UL_EINVAL;
	}
}

static short events_of(int fd)
{
	struct sock *s = lookup(fd);
	if (!s)
		return UL_POLLNVAL;
	return s->tcp ? sock_tcp_events(s) : sock_dgram_events(s);
}

static int scan(struct ul_pollfd *fds, unsigned n)
{
	int ready = 0;
	for (unsigned i = 0; i < n; i++) {
		short ev = events_of(fds[i].fd);
		fds[i].revents = ev & (fds[i].events | UL_POLLERR | UL_POLLHUP |
		                       UL_POLLNVAL);
		ready += fds[i].revents != 0;
	}
	return ready;
}

int ul_poll(struct ul_pollfd *fds, unsigned n, uint64_t timeout)
{
	uint64_t deadline = timeout == UL_FOREVER ? UL_FOREVER
	                                          : ul_deadline_after(timeout);
	for (;;) {
		int ready = scan(fds, n);
		if (ready || timeout == 0)
			return ready;
		if (ul_wait(&pollers, deadline) == -UL_ETIMEDOUT)
			return scan(fds, n);
	}
}
