/* Host networking: the table of attached interfaces and what every kind
 * shares: default MAC addresses, length checks, the pcap recording, and
 * the sleep in ppoll. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unilab/errno.h>

#include "nic.h"

static struct ul_host_nic nics[HOST_NET_MAX];
static unsigned nic_count;

/* 02:75:6c ("ul", locally administered, unicast) and three bytes of an
 * FNV-1a hash of the interface's number, kind and name: the same command
 * line gives the same addresses on every run and backend, and two images
 * on two TAPs of one bridge differ. */
static void default_mac(unsigned index, const struct ul_host_net_spec *spec,
			uint8_t mac[6])
{
	uint32_t h = 2166136261u;
	h = (h ^ index) * 16777619u;
	h = (h ^ (uint32_t)spec->kind) * 16777619u;
	for (const char *p = spec->name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	mac[0] = 0x02;
	mac[1] = 'u';
	mac[2] = 'l';
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

int ul_host_net_attach(const struct ul_host_net_spec *spec,
		       struct ul_host_error *err)
{
	static int (*const open_kind[])(struct ul_host_nic *,
					struct ul_host_error *) = {
		[HOST_NET_TAP] = ul_host_tap_open,
		[HOST_NET_PCAP] = ul_host_pcap_iface_open,
		[HOST_NET_USER] = ul_host_user_open,
	};
	if (nic_count == HOST_NET_MAX)
		return ul_host_fail(err, -UL_ENOSPC,
				    "--net: at most %d network "
				    "interfaces",
				    HOST_NET_MAX);
	struct ul_host_nic *nic = &nics[nic_count];
	memset(nic, 0, sizeof(*nic));
	nic->spec = *spec;
	nic->fd = -1;
	if (spec->mac_set)
		memcpy(nic->mac, spec->mac, 6);
	else
		default_mac(nic_count, spec, nic->mac);
	int r = open_kind[spec->kind](nic, err);
	if (r < 0)
		return r;
	nic_count++;
	return 0;
}

unsigned ul_host_net_count(void)
{
	return nic_count;
}

static struct ul_host_nic *nic_at(unsigned i)
{
	return i < nic_count ? &nics[i] : NULL;
}

int ul_host_net_info(unsigned i, uint8_t mac[6], uint16_t *mtu)
{
	struct ul_host_nic *nic = nic_at(i);
	if (!nic)
		return -UL_ENODEV;
	memcpy(mac, nic->mac, 6);
	*mtu = nic->mtu;
	return 0;
}

long ul_host_net_send(unsigned i, const void *frame, size_t len)
{
	struct ul_host_nic *nic = nic_at(i);
	if (!nic)
		return -UL_ENODEV;
	if (len < UL_ETH_HLEN || len > (size_t)nic->mtu + UL_ETH_HLEN)
		return -UL_EINVAL;
	long r = nic->ops->send(nic, frame, len);
	if (r > 0)
		ul_host_pcap_record(frame, len);
	return r;
}

long ul_host_net_recv(unsigned i, void *buf, size_t cap)
{
	struct ul_host_nic *nic = nic_at(i);
	if (!nic)
		return -UL_ENODEV;
	long r = nic->ops->recv(nic, buf, cap);
	if (r > 0)
		ul_host_pcap_record(buf, (size_t)r);
	return r;
}

void ul_host_pollset_reset(struct ul_host_pollset *ps)
{
	ps->count = 0;
}

int ul_host_pollset_add(struct ul_host_pollset *ps, int fd, short events)
{
	if (ps->count == ps->cap) {
		unsigned cap = ps->cap ? 2 * ps->cap : 16;
		struct pollfd *fds = realloc(ps->fds, cap * sizeof(*fds));
		if (!fds)
			return -1;
		ps->fds = fds;
		ps->cap = cap;
	}
	ps->fds[ps->count] = (struct pollfd){.fd = fd, .events = events};
	return (int)ps->count++;
}

bool ul_host_fd_poll_fill(struct ul_host_nic *nic, struct ul_host_pollset *ps,
			  uint64_t *timeout_ns)
{
	(void)timeout_ns;
	nic->poll_index = ul_host_pollset_add(ps, nic->fd, POLLIN);
	/* Out of memory: say "ready" so the caller checks instead of
	 * sleeping through input it cannot see. */
	return nic->poll_index < 0;
}

bool ul_host_fd_poll_done(struct ul_host_nic *nic,
			  const struct ul_host_pollset *ps, bool failed)
{
	if (failed || nic->poll_index < 0)
		return false;
	return ps->fds[nic->poll_index].revents & (POLLIN | POLLERR | POLLHUP);
}

/* Before ppoll: add every interface's descriptors and lower *timeout_ns
 * to the interfaces' own timers; the interfaces not in wait get theirs
 * with no events. Returns the interfaces of wait that already have a frame
 * waiting, and then sets *timeout_ns to 0. */
static uint32_t poll_fill(struct ul_host_pollset *ps, uint64_t *timeout_ns,
			  uint32_t wait)
{
	uint32_t ready = 0;
	for (unsigned i = 0; i < nic_count; i++) {
		unsigned first = ps->count;
		bool has_frame = nics[i].ops->poll_fill(&nics[i], ps, timeout_ns);
		if (!(wait & (1u << i))) {
			for (unsigned f = first; f < ps->count; f++)
				ps->fds[f].events = 0;
			continue;
		}
		if (has_frame)
			ready |= 1u << i;
	}
	if (ready)
		*timeout_ns = 0;
	return ready;
}

/* After ppoll (failed: it returned -1, so no revents are valid): let the
 * interfaces serve their descriptors and timers. Returns the interfaces
 * that have a frame waiting. */
static uint32_t poll_done(const struct ul_host_pollset *ps, bool failed)
{
	uint32_t ready = 0;
	for (unsigned i = 0; i < nic_count; i++)
		if (nics[i].ops->poll_done(&nics[i], ps, failed))
			ready |= 1u << i;
	return ready;
}

int ul_host_net_sleep(uint64_t timeout_ns, uint32_t wait, uint32_t *ready)
{
	/* Static: its memory is kept between sleeps. */
	static struct ul_host_pollset ps;
	ul_host_pollset_reset(&ps);
	uint32_t now = poll_fill(&ps, &timeout_ns, wait);

	struct timespec ts, *timeout = NULL;
	if (timeout_ns != UINT64_MAX) {
		ts.tv_sec = (time_t)(timeout_ns / 1000000000ull);
		ts.tv_nsec = (long)(timeout_ns % 1000000000ull);
		timeout = &ts;
	}
	/* A timeout or a signal leaves every revents 0: the caller checks
	 * again. */
	int n = ppoll(ps.fds, ps.count, timeout, NULL);
	int e = errno;
	*ready = (now | poll_done(&ps, n < 0)) & wait;
	errno = e;
	return n < 0 && e != EINTR ? -1 : 0;
}
