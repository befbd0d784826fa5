/* unilab-kvm: the gdb stub's transport, one TCP connection on the loopback
 * interface. Input is buffered (gdb sends packets in bursts) and arrives
 * with SIGIO, so that a Ctrl-C reaches a guest that spins in KVM_RUN or
 * sleeps in the poll call. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gdb_tcp.h"
#include "monitor.h"

/* Loopback only: the stub gives whoever connects the whole guest. */
int gdb_tcp_listen(unsigned port, unsigned *bound, bool async)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sa);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* With async, a connection waiting raises SIGIO like input on a
	 * connection. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 1) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0 ||
	    (async && (fcntl(fd, F_SETOWN, getpid()) < 0 ||
	               fcntl(fd, F_SETFL, O_NONBLOCK | O_ASYNC) < 0))) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

/* A connection from gdb: on a blocking socket, wait for one; on an async
 * one, false when none is waiting. */
bool gdb_tcp_accept(int listen_fd, struct gdb_tcp *conn)
{
	int one = 1;
	int fd;

	do
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0 && (errno == EAGAIN || errno == ECONNABORTED))
		return false;
	if (fd < 0)
		fatal(UL_KVM_EXIT_HOST, "gdb: accept failed: %s", strerror(errno));
	/* Packets are small and each waits for an answer: no Nagle delay. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (fcntl(fd, F_SETOWN, getpid()) < 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK | O_ASYNC) < 0)
		fatal(UL_KVM_EXIT_HOST, "gdb: cannot set up the connection: %s",
		      strerror(errno));
	*conn = (struct gdb_tcp){.fd = fd};
	return true;
}

void gdb_tcp_close(struct gdb_tcp *conn)
{
	if (conn->fd >= 0)
		close(conn->fd);
	conn->fd = -1;
}

/* Refill the buffer; false when nothing came (and wait was false) or the
 * connection is gone (then fd is closed). */
static bool fill(struct gdb_tcp *conn, bool wait)
{
	for (;;) {
		ssize_t n = recv(conn->fd, conn->buf, sizeof(conn->buf), 0);
		if (n > 0) {
			conn->pos = 0;
			conn->len = (size_t)n;
			return true;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = conn->fd, .events = POLLIN};
			if (!wait)
				return false;
			if (poll(&p, 1, -1) >= 0 || errno == EINTR)
				continue;
		}
		gdb_tcp_close(conn); /* gdb hung up, or the socket failed */
		return false;
	}
}

int gdb_tcp_read(void *ctx, bool wait)
{
	struct gdb_tcp *conn = ctx;

	if (conn->fd < 0)
		return UL_GDB_CLOSED;
	if (conn->pos == conn->len && !fill(conn, wait))
		return conn->fd < 0 ? UL_GDB_CLOSED : UL_GDB_NO_DATA;
	return conn->buf[conn->pos++];
}

bool gdb_tcp_write(void *ctx, const void *buf, size_t len)
{
	struct gdb_tcp *conn = ctx;
	const char *p = buf;

	while (len > 0 && conn->fd >= 0) {
		ssize_t n = send(conn->fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		struct pollfd pf = {.fd = conn->fd, .events = POLLOUT};
		if (n < 0 && errno == EAGAIN)
			poll(&pf, 1, -1); /* the socket is non-blocking */
		else if (n < 0 && errno != EINTR)
			gdb_tcp_close(conn);
	}
	return conn->fd >= 0;
}
