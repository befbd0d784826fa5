/* xen guest: netfront, the guest half of Xen's split network driver.
 *
 * The toolstack lists our vifs in XenStore under device/vif/N, each with
 * its back end's path and domain and a MAC. For each we share two rings
 * with the back end (netback in dom0), grant it our buffer pages, bind an
 * event channel and walk the xenbus handshake: wait for the back end to
 * reach InitWait, publish the ring references, the channel and the one
 * feature we need (request-rx-copy: the back end copies frames into our
 * pages; and whole checksums), go Connected, and wait for it to connect too. A back end that
 * is absent or stalls ends that vif with a message, not a hang
 * (xenbus.c).
 *
 * Every buffer is one page with a permanent grant: transmit copies the
 * frame into a free tx page and posts it; receive takes a filled rx page
 * from the ring, copies the frame out and posts the page again. */
#include <unilab/errno.h>
#include <unilab/ether.h>
#include <unilab/log.h>
#include <unilab/string.h>

#include "guest.h"
#include "platform.h"

#define SLOTS 64 /* buffers per direction, within the ring's 256 */
#define FRAME_MAX 1514

struct vif {
	struct xen_net_tx_ring *tx;
	struct xen_net_rx_ring *rx;
	uint32_t tx_ref[SLOTS], rx_ref[SLOTS];
	uint16_t tx_free[SLOTS]; /* a stack of free tx slots */
	unsigned tx_nfree;
	uint32_t tx_cons, rx_cons; /* responses consumed */
	uint32_t port;
	uint8_t mac[UL_ETH_ADDR_LEN];
};

struct pages {
	char tx_ring[XEN_PAGE_SIZE], rx_ring[XEN_PAGE_SIZE];
	char tx_buf[SLOTS][XEN_PAGE_SIZE], rx_buf[SLOTS][XEN_PAGE_SIZE];
};

static struct pages pages[UL_MAX_NET] __attribute__((aligned(XEN_PAGE_SIZE)));
static struct vif vifs[UL_MAX_NET];
static unsigned vif_count;

static int parse_mac(const char *s, uint8_t mac[UL_ETH_ADDR_LEN])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0;
		for (int d = 0; d < 2; d++, s++) {
			char c = *s;
			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v = v * 16 + (unsigned)(c - 'A' + 10);
			else
				return -1;
		}
		mac[i] = (uint8_t)v;
		if (*s != (i < 5 ? ':' : '\0'))
			return -1;
		s++;
	}
	return 0;
}

static void post_rx(struct vif *v, uint16_t id)
{
	struct xen_net_rx_ring *rx = v->rx;
	uint32_t prod = rx->h.req_prod;

	rx->ring[prod % XEN_NET_RING_SIZE].req =
		(struct xen_net_rx_request){.id = id, .gref = v->rx_ref[id]};
	__atomic_thread_fence(__ATOMIC_RELEASE);
	rx->h.req_prod = prod + 1;
}

/* Connect vif n; 0, or -1 having said why. */
static int connect(unsigned n)
{
	struct vif *v = &vifs[vif_count];
	struct pages *pg = &pages[vif_count];
	char front[32], back[128], path[64], mac[32];
	uint16_t domid;

	ul_snprintf(front, sizeof(front), "device/vif/%u", n);
	if (ul_xen_bus_backend(front, back, sizeof(back), &domid) < 0)
		return -1;
	ul_snprintf(path, sizeof(path), "%s/mac", front);
	if (ul_xen_store_read(path, mac, sizeof(mac)) < 0 ||
	    parse_mac(mac, v->mac) < 0) {
		ul_error("xen: %s: no MAC, or a bad one, in XenStore", front);
		return -1;
	}
	if (ul_xen_bus_wait(back, XEN_BUS_INIT_WAIT) < 0)
		return -1;

	v->tx = (struct xen_net_tx_ring *)pg->tx_ring;
	v->rx = (struct xen_net_rx_ring *)pg->rx_ring;
	ul_memset(pg->tx_ring, 0, sizeof(pg->tx_ring));
	ul_memset(pg->rx_ring, 0, sizeof(pg->rx_ring));
	v->tx->h.req_event = v->tx->h.rsp_event = 1;
	v->rx->h.req_event = v->rx->h.rsp_event = 1;
	for (uint16_t i = 0; i < SLOTS; i++) {
		v->tx_ref[i] = ul_xen_grant(domid, pg->tx_buf[i], 1);
		v->rx_ref[i] = ul_xen_grant(domid, pg->rx_buf[i], 0);
		v->tx_free[i] = i;
	}
	v->tx_nfree = SLOTS;
	v->port = ul_xen_event_channel_alloc(domid);
	if (ul_xen_bus_write(front, "tx-ring-ref",
	                     ul_xen_grant(domid, pg->tx_ring, 0)) < 0 ||
	    ul_xen_bus_write(front, "rx-ring-ref",
	                     ul_xen_grant(domid, pg->rx_ring, 0)) < 0 ||
	    ul_xen_bus_write(front, "event-channel", v->port) < 0 ||
	    ul_xen_bus_write(front, "request-rx-copy", 1) < 0 ||
	    ul_xen_bus_write(front, "feature-rx-notify", 1) < 0 ||
	    /* Frames must come with their checksums filled in: the stack
	     * checks every one. */
	    ul_xen_bus_write(front, "feature-no-csum-offload", 1) < 0 ||
	    ul_xen_bus_write(front, "state", XEN_BUS_CONNECTED) < 0 ||
	    ul_xen_bus_wait(back, XEN_BUS_CONNECTED) < 0)
		return -1;
	for (uint16_t i = 0; i < SLOTS; i++)
		post_rx(v, i);
	ul_xen_event_channel_notify(v->port);
	vif_count++;
	return 0;
}

unsigned ul_xen_netfront_init(void)
{
	char path[32], probe[8];

	for (unsigned n = 0; n < UL_MAX_NET; n++) {
		ul_snprintf(path, sizeof(path), "device/vif/%u/state", n);
		if (ul_xen_store_read(path, probe, sizeof(probe)) < 0)
			break;
		if (connect(n) < 0)
			break;
	}
	return vif_count;
}

static struct vif *vif_of(unsigned i)
{
	return i < vif_count ? &vifs[i] : NULL;
}

/* Take back the tx slots whose frames the back end has sent. */
static void reclaim_tx(struct vif *v)
{
	uint32_t prod = v->tx->h.rsp_prod;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	for (; v->tx_cons != prod; v->tx_cons++) {
		uint16_t id = v->tx->ring[v->tx_cons % XEN_NET_RING_SIZE].rsp.id;
		if (id < SLOTS)
			v->tx_free[v->tx_nfree++] = id;
	}
}

int ul_plat_net_info(unsigned i, struct ul_net_info *info)
{
	struct vif *v = vif_of(i);

	if (!v)
		return -UL_ENODEV;
	ul_memcpy(info->mac, v->mac, UL_ETH_ADDR_LEN);
	info->mtu = 1500;
	return 0;
}

long ul_plat_net_send(unsigned i, const void *frame, size_t len)
{
	struct vif *v = vif_of(i);

	if (!v)
		return -UL_ENODEV;
	if (len < 14 || len > FRAME_MAX)
		return -UL_EINVAL;
	reclaim_tx(v);
	if (v->tx_nfree == 0) {
		/* Ring full: ask to be woken when the back end frees some. */
		v->tx->h.rsp_event = v->tx_cons + 1;
		return -UL_EAGAIN;
	}
	uint16_t id = v->tx_free[--v->tx_nfree];
	ul_memcpy(pages[i].tx_buf[id], frame, len);
	uint32_t prod = v->tx->h.req_prod;
	v->tx->ring[prod % XEN_NET_RING_SIZE].req = (struct xen_net_tx_request){
		.gref = v->tx_ref[id], .id = id, .size = (uint16_t)len,
	};
	__atomic_thread_fence(__ATOMIC_RELEASE);
	v->tx->h.req_prod = prod + 1;
	ul_xen_event_channel_notify(v->port);
	return (long)len;
}

long ul_plat_net_recv(unsigned i, void *buf, size_t cap)
{
	struct vif *v = vif_of(i);

	if (!v)
		return -UL_ENODEV;
	if (v->rx_cons == v->rx->h.rsp_prod)
		return -UL_EAGAIN;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	struct xen_net_rx_response r =
		v->rx->ring[v->rx_cons % XEN_NET_RING_SIZE].rsp;
	v->rx_cons++;
	if (r.id >= SLOTS) {
		ul_error("xen: vif %u: the back end answered with a bad id", i);
		return -UL_EIO;
	}
	long rc;
	/* We offered no features that split a frame or add extra slots. */
	if (r.status <= 0 || (r.flags & (XEN_NETRXF_MORE_DATA | XEN_NETRXF_EXTRA_INFO)) ||
	    r.offset + r.status > XEN_PAGE_SIZE)
		rc = -UL_EIO;
	else if ((size_t)r.status > cap)
		rc = -UL_EMSGSIZE;
	else {
		ul_memcpy(buf, pages[i].rx_buf[r.id] + r.offset, (size_t)r.status);
		rc = r.status;
	}
	post_rx(v, r.id);
	ul_xen_event_channel_notify(v->port);
	return rc;
}

uint32_t ul_xen_netfront_ready(void)
{
	uint32_t ready = 0;

	for (unsigned i = 0; i < vif_count; i++) {
		struct vif *v = &vifs[i];
		/* Be notified of the next frame, then look: one that came
		 * in between is seen now. */
		v->rx->h.rsp_event = v->rx_cons + 1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (v->rx->h.rsp_prod != v->rx_cons)
			ready |= UL_READY_NET(i);
	}
	return ready;
}
