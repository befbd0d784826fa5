/* Sockets inside the stack: the descriptor table and the blocking glue
 * between the socket API and the non-blocking protocol calls. A protocol
 * signals "something changed" and every thread waiting on that socket
 * (or in ul_poll) wakes and looks again. */
#ifndef NET_SOCK_H
#define NET_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <unilab/socket.h>
#include <unilab/thread.h>
#include "dgram.h"
#include "tcp.h"

struct sock {
	int type; /* enum ul_sock_type */
	int fd;
	struct tcp_pcb *tcp;   /* UL_SOCK_STREAM */
	struct dgram_pcb *dg;  /* UL_SOCK_DGRAM, UL_SOCK_PING */
	struct ul_waitq wq;
	uint64_t rcvtimeo, sndtimeo; /* ns, 0: forever */
	bool nonblock;
	bool shut_rd;
	bool dead;      /* closed while threads were blocked in it */
	unsigned users; /* threads inside a blocking call on it */
};

/* The protocols' notify callback: owner is the struct sock. */
void sock_wake(void *owner);
/* Sleep until the socket changes or the deadline; -UL_ETIMEDOUT, or
 * -UL_EBADF when it was closed meanwhile. */
int sock_wait(struct sock *s, uint64_t deadline);
/* A new stream socket for a pcb accepted from a listener: its descriptor,
 * or -UL_ENOSPC when the table is full, -UL_ENOMEM. */
int sock_adopt_tcp(struct tcp_pcb *pcb);
uint64_t sock_deadline(uint64_t timeout);
bool sock_nonblock(const struct sock *s, int flags);

/* sock_tcp.c */
int sock_tcp_open(struct sock *s);
int sock_tcp_accept(struct sock *s, struct ul_sockaddr *peer, bool nb);
int sock_tcp_connect(struct sock *s, const struct ul_sockaddr *a, bool nb);
long sock_tcp_send(struct sock *s, const void *buf, size_t len, int flags);
long sock_tcp_recv(struct sock *s, void *buf, size_t len, int flags);
short sock_tcp_events(const struct sock *s);

/* socket.c: ul_close (core/close.c) calls it for a socket's descriptor. */
int ul_sock_close(int fd);

/* sock_dgram.c */
int sock_dgram_open(struct sock *s);
long sock_dgram_sendto(struct sock *s, const void *buf, size_t len,
                       const struct ul_sockaddr *to);
long sock_dgram_recvfrom(struct sock *s, void *buf, size_t len, int flags,
                         struct ul_sockaddr *from);
short sock_dgram_events(const struct sock *s);

#endif
