/* Host networking: an existing Linux TAP device. One frame per read or
 * write on the non-blocking /dev/net/tun descriptor, with no packet
 * information header and no virtio-net header, so the kernel hands over
 * whole frames with their checksums done. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "nic.h"

#define CREATE_TAP "ip tuntap add dev %s mode tap user $USER && ip link set %s up"

static long tap_send(struct ul_host_nic *nic, const void *frame, size_t len)
{
	ssize_t n = write(nic->fd, frame, len);
	if (n == (ssize_t)len)
		return (long)n;
	return n < 0 && (errno == EAGAIN || errno == ENOBUFS) ? -UL_EAGAIN
	                                                     : -UL_EIO;
}

static long tap_recv(struct ul_host_nic *nic, void *buf, size_t cap)
{
	/* Whatever does not fit buf lands in overflow: a read returns the
	 * frame's whole length, so a frame longer than cap is seen, not cut. */
	static char overflow[65536];
	struct iovec iov[2] = {
		{.iov_base = buf, .iov_len = cap},
		{.iov_base = overflow, .iov_len = sizeof(overflow)},
	};
	ssize_t n = readv(nic->fd, iov, 2);
	if (n < 0)
		return errno == EAGAIN ? -UL_EAGAIN : -UL_EIO;
	return (size_t)n > cap ? -UL_EMSGSIZE : (long)n;
}

static const struct ul_host_nic_ops tap_ops = {
	.send = tap_send,
	.recv = tap_recv,
	.poll_fill = ul_host_fd_poll_fill,
	.poll_done = ul_host_fd_poll_done,
};

/* What to do about a TUNSETIFF failure, by errno. */
static int attach_failed(const char *name, struct ul_host_error *err)
{
	switch (errno) {
	case EPERM:
		return ul_host_fail(
			err, -UL_EPERM,
			"TAP device %s: permission denied; run as root, "
			"or create the TAP owned by your user: " CREATE_TAP,
			name, name, name);
	case EBUSY:
		return ul_host_fail(
			err, -UL_EBUSY,
			"TAP device %s is in use by another program "
			"(one image per TAP)",
			name);
	case EINVAL:
		return ul_host_fail(
			err, -UL_EINVAL,
			"%s is not a TAP device (a TUN device or another "
			"kind of interface); create a TAP with: " CREATE_TAP,
			name, name, name);
	default:
		return ul_host_fail(err, -UL_EIO,
				    "TAP device %s: cannot attach: %s", name,
				    strerror(errno));
	}
}

int ul_host_tap_open(struct ul_host_nic *nic, struct ul_host_error *err)
{
	const char *name = nic->spec.name;
	char advice[160];
	snprintf(advice, sizeof(advice), "create it with: " CREATE_TAP, name,
	         name);
	/* Check first: as root, attaching to a missing name would create a
	 * new TAP, down and unconnected, and the image would talk to no one. */
	int r = ul_host_link_check(name, advice, &nic->mtu, err);
	if (r < 0)
		return r;

	nic->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (nic->fd < 0)
		return ul_host_fail(
			err, -UL_EIO, "cannot open /dev/net/tun: %s%s",
			strerror(errno),
			errno == ENOENT || errno == ENODEV
				? "; load the tun module: modprobe tun"
				: "");
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strnlen(name, IFNAMSIZ - 1));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(nic->fd, TUNSETIFF, &ifr) < 0) {
		r = attach_failed(name, err);
		close(nic->fd);
		return r;
	}
	nic->ops = &tap_ops;
	return 0;
}
