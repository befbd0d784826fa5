/* The socket-like API: TCP streams, UDP datagrams and ICMP echo ("ping")
 * sockets. Calls block the calling cooperative thread, never the image.
 * Descriptors are small non-negative ints; errors are negative codes from
 * <unilab/errno.h> (-UL_EAGAIN where a non-blocking call would block). */
#ifndef UL_SOCKET_H
#define UL_SOCKET_H

#include <stddef.h>
#include <stdint.h>

enum ul_sock_type {
	UL_SOCK_STREAM = 1, /* TCP */
	UL_SOCK_DGRAM = 2,  /* UDP */
	/* ICMP echo: sendto() takes an ICMP echo request (8-byte header,
	 * then data; the stack sets the identifier and the checksum) and
	 * recvfrom() returns the echo replies to this socket, header first.
	 * The identifier is the socket's "port". */
	UL_SOCK_PING = 3,
};

/* An IPv4 endpoint, host byte order (see <unilab/net.h>). */
struct ul_sockaddr {
	uint32_t addr;
	uint16_t port;
};

/* flags for send/recv */
#define UL_MSG_DONTWAIT 0x1 /* do not block: -UL_EAGAIN instead */
#define UL_MSG_WAITALL 0x2  /* recv: block until len bytes, EOF or error */
#define UL_MSG_PEEK 0x4     /* recv: leave the data in the socket */

/* shutdown */
#define UL_SHUT_RD 0
#define UL_SHUT_WR 1
#define UL_SHUT_RDWR 2

/* A new socket's descriptor (the lowest free one), or -UL_EINVAL for an
 * unknown type, -UL_ENOSPC when 65536 are open, -UL_ENOMEM. */
int ul_socket(int type);
int ul_bind(int fd, const struct ul_sockaddr *addr);
/* backlog: established connections waiting for accept (1..1024). */
int ul_listen(int fd, int backlog);
int ul_accept(int fd, struct ul_sockaddr *peer); /* peer may be NULL */
/* What a server opens first: a socket of type bound to port on every
 * address, listening with backlog when it is TCP, and non-blocking (for
 * ul_poll). The descriptor, or a negative error with nothing left open. */
int ul_socket_serve(int type, uint16_t port, int backlog);
/* TCP: the handshake; a non-blocking socket returns -UL_EINPROGRESS and
 * is writable (UL_POLLOUT) once connected. UDP: sets the default peer. */
int ul_connect(int fd, const struct ul_sockaddr *addr);
/* Returns the number of bytes taken or given (0 from recv: end of
 * stream), or a negative error. */
long ul_send(int fd, const void *buf, size_t len, int flags);
long ul_recv(int fd, void *buf, size_t len, int flags);
long ul_sendto(int fd, const void *buf, size_t len, int flags,
               const struct ul_sockaddr *to);
long ul_recvfrom(int fd, void *buf, size_t len, int flags,
                 struct ul_sockaddr *from);
int ul_shutdown(int fd, int how);
/* TCP: queued data is still sent, then an orderly close; unread received
 * data makes it a reset instead (as RFC 9293 3.10.4 allows). */
int ul_close(int fd);
int ul_getsockname(int fd, struct ul_sockaddr *addr);
int ul_getpeername(int fd, struct ul_sockaddr *addr);

/* Socket options (value units in the comments). */
enum ul_sockopt {
	UL_SO_RCVTIMEO = 1,  /* ns a blocking receive may wait, 0: forever */
	UL_SO_SNDTIMEO,      /* ns a blocking send/connect may wait */
	UL_SO_NONBLOCK,      /* 1: every call behaves as UL_MSG_DONTWAIT */
	UL_SO_RCVBUF,        /* bytes; TCP: set before listen/connect */
	UL_SO_SNDBUF,        /* bytes */
	UL_SO_REUSEADDR,     /* 1: bind may reuse a port in TIME-WAIT */
	UL_SO_BROADCAST,     /* 1: UDP may send to broadcast addresses */
	UL_SO_BINDTODEVICE,  /* interface index, -1 for any */
	UL_SO_ERROR,         /* get only: the pending error, then cleared */
	UL_TCP_NODELAY,      /* 1: Nagle off, small segments go at once */
};
int ul_setsockopt(int fd, int opt, long value);
int ul_getsockopt(int fd, int opt, long *value);

/* Waiting on several sockets. */
#define UL_POLLIN 0x1   /* data, a connection to accept, or end of stream */
#define UL_POLLOUT 0x4  /* room to send (TCP: connected) */
#define UL_POLLERR 0x8  /* a pending error (read it with UL_SO_ERROR) */
#define UL_POLLHUP 0x10 /* the connection is over in both directions */
#define UL_POLLNVAL 0x20 /* not an open socket */
struct ul_pollfd {
	int fd;
	short events;  /* UL_POLLIN | UL_POLLOUT */
	short revents; /* what is true now; ERR, HUP, NVAL are always set */
};
/* Block until one of the sockets is ready or timeout ns pass (UL_FOREVER
 * from <unilab/time.h>: no timeout; 0: just check). Returns how many
 * entries have revents set, 0 on timeout. */
int ul_poll(struct ul_pollfd *fds, unsigned n, uint64_t timeout);

#endif
