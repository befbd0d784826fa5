/* baremetal: virtio-net (virtio 1.2, 5.1) behind the platform's network
 * calls. Queue 0 receives, queue 1 transmits. Every descriptor owns one
 * fixed buffer big enough for a whole frame and its virtio header, so a
 * chain is always one descriptor and its index names its buffer. Receive
 * buffers are all offered at start and offered again as soon as their
 * frame has been copied out.
 *
 * Notifications are batched and suppressed (virtqueue.c): a sent frame is
 * only queued; the device hears of the queue at the end of the event
 * loop's turn (ul_plat_poll calls ul_bm_net_kick), or as soon as half the
 * ring waits, so that it sends one half while the core fills the other.
 * Receive interrupts are asked for only while the CPU sleeps. */
#include <unilab/errno.h>
#include <unilab/ether.h>
#include <unilab/log.h>
#include <unilab/string.h>

#include "platform.h"
#include "virtio.h"

#define NET_F_MAC (1ull << 5)
#define CFG_MAC 0
#define RX_QUEUE 0
#define TX_QUEUE 1
#define RX_SIZE 128
#define TX_SIZE 64
#define BUF_SIZE 2048

/* Precedes every frame in both directions; all zero on transmit: no
 * checksum offload, no segmentation offload. */
struct net_hdr {
	uint8_t flags, gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset, num_buffers;
};

struct nic {
	struct ul_bm_virtio v;
	struct ul_bm_virtq rx, tx;
	uint8_t *rx_buf, *tx_buf;
	uint16_t tx_free[TX_SIZE]; /* a stack of idle transmit descriptors */
	unsigned tx_free_count;
	uint8_t mac[UL_ETH_ADDR_LEN];
	uint64_t sent, received; /* frames, for ul_bm_net_log_counters */
};

static struct nic nics[UL_MAX_NET];
static unsigned nic_count;

static void offer_rx(struct nic *n, uint16_t id)
{
	n->rx.desc[id] = (struct virtq_desc){
		.addr = (uintptr_t)(n->rx_buf + (size_t)id * BUF_SIZE),
		.len = BUF_SIZE,
		.flags = VIRTQ_DESC_F_WRITE,
	};
	ul_bm_virtq_offer(&n->rx, id);
}

/* A locally administered address when the device has none: 02:00:00:00:
 * 00: then the interface's index, unique on this machine. */
static void read_mac(struct nic *n, uint64_t features)
{
	if (features & NET_F_MAC) {
		for (unsigned i = 0; i < 6; i++)
			n->mac[i] = ul_bm_virtio_cfg8(&n->v, CFG_MAC + i);
		return;
	}
	const uint8_t mac[UL_ETH_ADDR_LEN] = {0x02, 0, 0, 0, 0, (uint8_t)nic_count};
	ul_memcpy(n->mac, mac, UL_ETH_ADDR_LEN);
}

void ul_bm_virtio_net_probe(const struct ul_bm_virtio_place *at)
{
	struct nic *n = &nics[nic_count];
	uint64_t features;

	if (nic_count == UL_MAX_NET)
		return;
	if (!ul_bm_virtio_init(&n->v, at, NET_F_MAC | VIRTIO_F_EVENT_IDX,
	                       &features) ||
	    !ul_bm_virtio_queue(&n->v, RX_QUEUE, &n->rx, RX_SIZE, true) ||
	    !ul_bm_virtio_queue(&n->v, TX_QUEUE, &n->tx, TX_SIZE, false)) {
		ul_bm_virtio_claim(at, "virtio-net (cannot drive it)", 0);
		return;
	}
	read_mac(n, features);
	ul_bm_virtq_interrupts(&n->rx, false);
	ul_bm_virtq_interrupts(&n->tx, false); /* reclaimed on the next send */
	n->rx_buf = ul_bm_alloc_pages(((size_t)n->rx.size * BUF_SIZE + 4095) / 4096);
	n->tx_buf = ul_bm_alloc_pages(((size_t)n->tx.size * BUF_SIZE + 4095) / 4096);
	for (uint16_t id = 0; id < n->rx.size; id++)
		offer_rx(n, id);
	for (uint16_t id = 0; id < n->tx.size; id++)
		n->tx_free[n->tx_free_count++] = id;
	ul_bm_virtio_ready(&n->v);
	ul_bm_virtq_kick(&n->rx);
	ul_bm_virtio_claim(at, "virtio-net", nic_count++);
}

unsigned ul_bm_net_count(void)
{
	return nic_count;
}

uint32_t ul_bm_net_wake_on(uint32_t wait)
{
	uint32_t ready = 0;
	for (unsigned i = 0; i < nic_count; i++) {
		ul_bm_virtq_interrupts(&nics[i].rx, wait & UL_READY_NET(i));
		if (ul_bm_virtq_has_used(&nics[i].rx))
			ready |= UL_READY_NET(i);
	}
	return ready;
}

void ul_bm_net_kick(void)
{
	for (unsigned i = 0; i < nic_count; i++)
		ul_bm_virtq_kick(&nics[i].tx);
}

void ul_bm_net_log_counters(enum ul_log_level l)
{
	for (unsigned i = 0; i < nic_count; i++) {
		const struct nic *n = &nics[i];
		ul_log(l, "net%u: %llu frames sent, %llu notifications; "
		       "%llu received, %llu notifications; event index %s", i,
		       (unsigned long long)n->sent,
		       (unsigned long long)n->tx.notifies,
		       (unsigned long long)n->received,
		       (unsigned long long)n->rx.notifies,
		       n->tx.event_idx ? "on" : "off");
	}
}

int ul_plat_net_info(unsigned i, struct ul_net_info *info)
{
	if (i >= nic_count)
		return -UL_ENODEV;
	ul_memcpy(info->mac, nics[i].mac, UL_ETH_ADDR_LEN);
	info->mtu = UL_ETH_MTU;
	return 0;
}

/* Take back the transmit descriptors the device has finished with. */
static void reclaim_tx(struct nic *n)
{
	struct virtq_used_elem done;

	while (ul_bm_virtq_take(&n->tx, &done))
		n->tx_free[n->tx_free_count++] = (uint16_t)done.id;
}

void ul_bm_net_flush(uint64_t deadline)
{
	ul_bm_net_kick();
	for (unsigned i = 0; i < nic_count; i++) {
		struct nic *n = &nics[i];
		for (reclaim_tx(n); n->tx_free_count < n->tx.size;
		     reclaim_tx(n)) {
			if (ul_plat_clock_monotonic() >= deadline)
				return;
			__asm__ volatile("pause");
		}
	}
}

long ul_plat_net_send(unsigned i, const void *frame, size_t len)
{
	struct nic *n;

	if (i >= nic_count)
		return -UL_ENODEV;
	n = &nics[i];
	if (len < UL_ETH_HLEN || len > UL_ETH_MTU + UL_ETH_HLEN)
		return -UL_EINVAL;
	reclaim_tx(n);
	if (n->tx_free_count == 0) {
		ul_bm_virtq_kick(&n->tx); /* it may not know of them yet */
		return -UL_EAGAIN;
	}
	uint16_t id = n->tx_free[--n->tx_free_count];
	uint8_t *buf = n->tx_buf + (size_t)id * BUF_SIZE;
	ul_memset(buf, 0, sizeof(struct net_hdr));
	ul_memcpy(buf + sizeof(struct net_hdr), frame, len);
	n->tx.desc[id] = (struct virtq_desc){
		.addr = (uintptr_t)buf,
		.len = (uint32_t)(sizeof(struct net_hdr) + len),
	};
	ul_bm_virtq_offer(&n->tx, id);
	if (ul_bm_virtq_unkicked(&n->tx) >= n->tx.size / 2)
		ul_bm_virtq_kick(&n->tx);
	n->sent++;
	return (long)len;
}

long ul_plat_net_recv(unsigned i, void *buf, size_t cap)
{
	struct virtq_used_elem e;
	struct nic *n;
	long ret;

	if (i >= nic_count)
		return -UL_ENODEV;
	n = &nics[i];
	if (!ul_bm_virtq_take(&n->rx, &e))
		return -UL_EAGAIN;
	if (e.id >= n->rx.size || e.len < sizeof(struct net_hdr) ||
	    e.len > BUF_SIZE) {
		ret = -UL_EIO;
	} else {
		size_t len = e.len - sizeof(struct net_hdr);
		ret = len > cap ? -UL_EMSGSIZE : (long)len;
		if (len <= cap) {
			n->received++;
			ul_memcpy(buf, n->rx_buf + (size_t)e.id * BUF_SIZE +
			                       sizeof(struct net_hdr), len);
		}
	}
	/* A notification only if the device asked, having run out. */
	if (e.id < n->rx.size) {
		offer_rx(n, (uint16_t)e.id);
		ul_bm_virtq_kick(&n->rx);
	}
	return ret;
}
