/* Host networking: an existing Ethernet interface reached through libpcap.
 * The image is one more station on that interface's link: it injects its
 * frames there and captures the frames that arrive (promiscuously, since
 * they are addressed to the image's MAC, not the interface's). Outgoing
 * frames of the host itself are not captured: they are the host's
 * conversation with its peer, and would echo the image's own frames back. */
#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>

#include <unilab/errno.h>

#include "nic.h"

/* libpcap's functions, loaded by the first pcap interface. */
static struct {
	__typeof__(pcap_activate) *pcap_activate;
	__typeof__(pcap_close) *pcap_close;
	__typeof__(pcap_create) *pcap_create;
	__typeof__(pcap_datalink) *pcap_datalink;
	__typeof__(pcap_get_selectable_fd) *pcap_get_selectable_fd;
	__typeof__(pcap_geterr) *pcap_geterr;
	__typeof__(pcap_inject) *pcap_inject;
	__typeof__(pcap_next_ex) *pcap_next_ex;
	__typeof__(pcap_set_immediate_mode) *pcap_set_immediate_mode;
	__typeof__(pcap_set_promisc) *pcap_set_promisc;
	__typeof__(pcap_set_snaplen) *pcap_set_snaplen;
	__typeof__(pcap_setdirection) *pcap_setdirection;
	__typeof__(pcap_setnonblock) *pcap_setnonblock;
	__typeof__(pcap_statustostr) *pcap_statustostr;
} lib;

static const struct ul_host_symbol lib_symbols[] = {
	HOST_SYMBOL(lib, pcap_activate),
	HOST_SYMBOL(lib, pcap_close),
	HOST_SYMBOL(lib, pcap_create),
	HOST_SYMBOL(lib, pcap_datalink),
	HOST_SYMBOL(lib, pcap_get_selectable_fd),
	HOST_SYMBOL(lib, pcap_geterr),
	HOST_SYMBOL(lib, pcap_inject),
	HOST_SYMBOL(lib, pcap_next_ex),
	HOST_SYMBOL(lib, pcap_set_immediate_mode),
	HOST_SYMBOL(lib, pcap_set_promisc),
	HOST_SYMBOL(lib, pcap_set_snaplen),
	HOST_SYMBOL(lib, pcap_setdirection),
	HOST_SYMBOL(lib, pcap_setnonblock),
	HOST_SYMBOL(lib, pcap_statustostr),
};

static long pcap_send(struct ul_host_nic *nic, const void *frame, size_t len)
{
	if (lib.pcap_inject(nic->state, frame, len) == (int)len)
		return (long)len;
	return errno == EAGAIN || errno == ENOBUFS ? -UL_EAGAIN : -UL_EIO;
}

static long pcap_recv(struct ul_host_nic *nic, void *buf, size_t cap)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int r = lib.pcap_next_ex(nic->state, &h, &data);
	if (r == 0)
		return -UL_EAGAIN;
	if (r != 1)
		return -UL_EIO;
	/* caplen < len: cut at the snapshot length, too long all the same. */
	if (h->caplen < h->len || h->caplen > cap)
		return -UL_EMSGSIZE;
	memcpy(buf, data, h->caplen);
	return (long)h->caplen;
}

static const struct ul_host_nic_ops pcap_ops = {
	.send = pcap_send,
	.recv = pcap_recv,
	.poll_fill = ul_host_fd_poll_fill,
	.poll_done = ul_host_fd_poll_done,
};

/* What pcap_activate's status means for the user. */
static int activate_failed(pcap_t *p, const char *name, int status,
			   struct ul_host_error *err)
{
	if (status == PCAP_ERROR_PERM_DENIED)
		return ul_host_fail(
			err, -UL_EPERM,
			"capturing on %s: permission denied; run as root, "
			"or give the program the capabilities: setcap "
			"cap_net_raw,cap_net_admin+ep PROGRAM",
			name);
	if (status == PCAP_ERROR_IFACE_NOT_UP)
		return ul_host_fail(err, -UL_EIO,
				    "network interface %s is down; "
				    "bring it up with: ip link set %s up",
				    name, name);
	return ul_host_fail(err, -UL_EIO, "capturing on %s: %s: %s", name,
			    lib.pcap_statustostr(status), lib.pcap_geterr(p));
}

/* Capture whole frames, each as soon as it arrives (immediate mode: no
 * batching delay, and a readable descriptor means a waiting frame), only
 * those coming in, without blocking. */
static int start_capture(pcap_t *p, const char *name, struct ul_host_error *err)
{
	char errbuf[PCAP_ERRBUF_SIZE];

	lib.pcap_set_snaplen(p, 65535);
	lib.pcap_set_promisc(p, 1);
	lib.pcap_set_immediate_mode(p, 1);
	int status = lib.pcap_activate(p);
	if (status < 0)
		return activate_failed(p, name, status, err);
	if (lib.pcap_datalink(p) != DLT_EN10MB)
		return ul_host_fail(err, -UL_EINVAL,
				    "%s is not an Ethernet interface", name);
	if (lib.pcap_setdirection(p, PCAP_D_IN) < 0)
		return ul_host_fail(err, -UL_EIO, "capturing on %s: %s", name,
				    lib.pcap_geterr(p));
	if (lib.pcap_setnonblock(p, 1, errbuf) < 0)
		return ul_host_fail(err, -UL_EIO, "capturing on %s: %s", name,
				    errbuf);
	return 0;
}

int ul_host_pcap_iface_open(struct ul_host_nic *nic, struct ul_host_error *err)
{
	const char *name = nic->spec.name;
	static const char *const sonames[] = {"libpcap.so.0.8", "libpcap.so.1",
	                                      NULL};
	int r = ul_host_link_check(name, "list them with: ip link", &nic->mtu,
				   err);
	if (r == 0)
		r = ul_host_load(sonames, "libpcap0.8", lib_symbols,
				 sizeof(lib_symbols) / sizeof(lib_symbols[0]),
				 err);
	if (r < 0)
		return r;
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = lib.pcap_create(name, errbuf);
	if (!p)
		return ul_host_fail(err, -UL_EIO, "capturing on %s: %s", name,
				    errbuf);
	r = start_capture(p, name, err);
	if (r == 0)
		nic->fd = lib.pcap_get_selectable_fd(p);
	if (r == 0 && nic->fd < 0)
		r = ul_host_fail(err, -UL_EIO,
				 "capturing on %s: no descriptor to "
				 "wait on",
				 name);
	if (r < 0) {
		lib.pcap_close(p);
		return r;
	}
	nic->state = p;
	nic->ops = &pcap_ops;
	return 0;
}
