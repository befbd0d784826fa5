/* unilab-kvm: network interfaces over Linux TAP devices. One frame per
 * read or write on the TAP file descriptor, no packet-information header;
 * the descriptor is non-blocking and poll.c sleeps on it. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "monitor.h"

#define ETH_HEADER 14
#define MAX_FRAME 65536 /* a TAP never hands over more than this */

static _Noreturn void tap_failed(const char *name, const char *what,
                                 const char *fix)
{
	fatal(UL_KVM_EXIT_HOST, "TAP device %s: %s: %s%s%s", name, what,
	      strerror(errno), *fix ? "; " : "", fix);
}

/* A fixed, locally administered address (02:...) made from the TAP's
 * name, so a run is reproducible and two guests on one bridge differ. */
static void make_mac(const char *name, uint8_t mac[6])
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	mac[0] = 0x02;
	mac[1] = 'u';
	mac[2] = 'l';
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

/* The TAP must be up (else the host drops every frame we write, without a
 * word); its MTU becomes the guest's. */
static uint16_t check_link(const char *name)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		tap_failed(name, "cannot make a socket to query it", "");
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		tap_failed(name, "cannot read its flags", "");
	if (!(ifr.ifr_flags & IFF_UP))
		fatal(UL_KVM_EXIT_HOST,
		      "TAP device %s is down; bring it up with: ip link set %s up",
		      name, name);
	if (ioctl(s, SIOCGIFMTU, &ifr) < 0)
		tap_failed(name, "cannot read its MTU", "");
	close(s);
	return ifr.ifr_mtu > 0 && ifr.ifr_mtu < 65535 - ETH_HEADER
	               ? (uint16_t)ifr.ifr_mtu
	               : 1500;
}

void net_open(struct vm *vm, const char *name)
{
	struct net_dev *dev = &vm->net[vm->net_count];
	struct ifreq ifr;

	/* Attaching to a missing TAP would create a new one, down and
	 * unconnected, and the guest would talk to no one. */
	if (if_nametoindex(name) == 0)
		fatal(UL_KVM_EXIT_HOST,
		      "no network interface %s; create the TAP device first: "
		      "ip tuntap add dev %s mode tap user $USER && "
		      "ip link set %s up",
		      name, name, name);
	dev->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (dev->fd < 0)
		tap_failed(name, "cannot open /dev/net/tun",
		           "is the tun module loaded (modprobe tun)?");
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(dev->fd, TUNSETIFF, &ifr) < 0)
		tap_failed(name, "cannot attach to it",
		           errno == EPERM ? "create it for your user (ip tuntap "
		                            "add ... mode tap user $USER)"
		           : errno == EBUSY ? "another program holds it"
		                            : "is it a TAP device (mode tap)?");
	dev->mtu = check_link(name);
	make_mac(name, dev->mac);
	vm->net_count++;
}

static struct net_dev *net_dev(struct vm *vm, struct ul_kvm_net *a)
{
	if (a->dev >= vm->net_count) {
		a->ret = -UL_ENODEV;
		return NULL;
	}
	return &vm->net[a->dev];
}

void hc_net_send(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_net *a =
		hypercall_arg(vm, UL_KVM_HC_NET_SEND, gpa, sizeof(*a));
	struct net_dev *dev = net_dev(vm, a);
	uint64_t len = a->len;

	if (dev == NULL)
		return;
	if (len < ETH_HEADER || len > (uint64_t)dev->mtu + ETH_HEADER) {
		a->ret = -UL_EINVAL;
		return;
	}
	const void *frame =
		hypercall_buf(vm, UL_KVM_HC_NET_SEND, "frame", a->data, len);
	ssize_t n = write(dev->fd, frame, len);
	if (n == (ssize_t)len)
		a->ret = (int32_t)n;
	else
		a->ret = n < 0 && errno == EAGAIN ? -UL_EAGAIN : -UL_EIO;
}

void hc_net_recv(struct vm *vm, uint64_t gpa)
{
	static uint8_t frame[MAX_FRAME];
	struct ul_kvm_net *a =
		hypercall_arg(vm, UL_KVM_HC_NET_RECV, gpa, sizeof(*a));
	struct net_dev *dev = net_dev(vm, a);
	uint64_t cap = a->len;

	if (dev == NULL)
		return;
	uint8_t *buf =
		hypercall_buf(vm, UL_KVM_HC_NET_RECV, "buffer", a->data, cap);
	/* Read whole, then copy: a frame longer than the guest's buffer must
	 * be reported, not silently cut. */
	ssize_t n = read(dev->fd, frame, sizeof(frame));
	if (n < 0) {
		a->ret = errno == EAGAIN ? -UL_EAGAIN : -UL_EIO;
		return;
	}
	if ((uint64_t)n > cap) {
		a->ret = -UL_EMSGSIZE;
		return;
	}
	memcpy(buf, frame, (size_t)n);
	a->ret = (int32_t)n;
}
