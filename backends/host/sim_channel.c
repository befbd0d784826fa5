/* Host library: the simulator's channel (sim/abi.h), for the controller
 * and the posix backend's sim mode: one message per datagram, a header and
 * its payload gathered and scattered without copying. */
#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "abi.h" /* sim/abi.h */

int ul_host_sim_send(int fd, uint32_t type, uint32_t arg, uint64_t time,
		     const void *data, size_t len)
{
	struct sim_header h = {.type = type, .arg = arg, .time = time};
	struct iovec iov[2] = {
		{.iov_base = &h, .iov_len = sizeof(h)},
		{.iov_base = (void *)data, .iov_len = len},
	};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
	if (len > SIM_PAYLOAD_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	for (;;) {
		ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (n == (ssize_t)(sizeof(h) + len))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n >= 0)
			errno = EPROTO; /* SEQPACKET sends all or nothing */
		return -1;
	}
}

int ul_host_sim_recv(int fd, struct sim_msg *m)
{
	struct iovec iov[2] = {
		{.iov_base = &m->h, .iov_len = sizeof(m->h)},
		{.iov_base = m->data, .iov_len = sizeof(m->data)},
	};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
	ssize_t n;
	do
		n = recvmsg(fd, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		errno = 0;
	if (n <= 0)
		return -1;
	if ((size_t)n < sizeof(m->h) || (msg.msg_flags & MSG_TRUNC)) {
		errno = EPROTO;
		return -1;
	}
	m->len = (size_t)n - sizeof(m->h);
	return 0;
}
