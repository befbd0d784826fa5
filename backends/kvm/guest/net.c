/* kvm guest: network interfaces over the shared rings of abi.h. Sending
 * copies the frame into the next tx slot and costs no exit: the slots go
 * out in one notification when the core goes to sleep (ul_plat_poll) or
 * when the tx ring is full. Receiving takes a filled rx slot, copies the
 * frame out and posts the slot again, also without an exit. */
#include <unilab/errno.h>

#include "guest.h"
#include "platform.h"

/* 64 frames each way: a whole TCP window of full frames per exit, and no
 * more memory than a small guest can spare (about 200 KiB per device). */
#define RING_SIZE 64
#define VLAN_SLACK 4 /* a tagged frame is dropped by the core, not cut */

struct net_dev {
	struct ul_kvm_ring *tx, *rx;
	uint8_t *tx_buf, *rx_buf; /* RING_SIZE slots of slot bytes each */
	uint32_t slot;
	uint32_t tx_avail;        /* our copy of tx->avail */
	uint32_t rx_next;         /* the next rx descriptor to take */
	uint32_t max_frame;       /* mtu + Ethernet header */
};

static struct net_dev devs[UL_KVM_MAX_NET];
static unsigned ndevs;

/* The guest library stands alone (test guests link it without the core's
 * libc); rep movsb is the fast copy on current CPUs and uses no SSE. */
static void copy(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb"
	                 : "+D"(dst), "+S"(src), "+c"(n)
	                 :
	                 : "memory");
}

static uint64_t round_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static uint64_t ring_bytes(void)
{
	return round_up(sizeof(struct ul_kvm_ring) +
	                RING_SIZE * sizeof(struct ul_kvm_desc), 64);
}

static void rx_post(struct net_dev *d, uint32_t n)
{
	struct ul_kvm_desc *desc = &d->rx->desc[n % RING_SIZE];

	desc->addr = (uintptr_t)(d->rx_buf + (uint64_t)(n % RING_SIZE) * d->slot);
	desc->len = d->slot;
	__atomic_store_n(&d->rx->avail, n + 1, __ATOMIC_RELEASE);
}

int ul_kvm_net_init(uint64_t *heap_start, uint64_t heap_end)
{
	uint64_t p = *heap_start;

	for (unsigned i = 0; i < ul_kvm_boot_info->net_count; i++) {
		struct net_dev *d = &devs[i];
		d->max_frame = ul_kvm_boot_info->net[i].mtu + 14u;
		d->slot = (uint32_t)round_up(d->max_frame + VLAN_SLACK, 64);
		uint64_t need = 2 * ring_bytes() + 2ull * RING_SIZE * d->slot;
		if (p + need > heap_end)
			return -UL_ENOMEM;
		d->tx = (struct ul_kvm_ring *)(uintptr_t)p;
		d->rx = (struct ul_kvm_ring *)(uintptr_t)(p + ring_bytes());
		d->tx_buf = (uint8_t *)(uintptr_t)(p + 2 * ring_bytes());
		d->rx_buf = d->tx_buf + (uint64_t)RING_SIZE * d->slot;
		p += need;

		struct ul_kvm_net_rings r = {
			.dev = i, .tx = (uintptr_t)d->tx, .rx = (uintptr_t)d->rx,
			.size = RING_SIZE,
		};
		ul_kvm_hypercall(UL_KVM_HC_NET_RINGS, &r);
		if (r.ret < 0)
			return r.ret;
		for (uint32_t n = 0; n < RING_SIZE; n++)
			rx_post(d, n);
		ndevs = i + 1;
	}
	*heap_start = round_up(p, UL_KVM_PAGE);
	return 0;
}

int ul_plat_net_info(unsigned i, struct ul_net_info *info)
{
	if (i >= ndevs)
		return -UL_ENODEV;
	for (int b = 0; b < 6; b++)
		info->mac[b] = ul_kvm_boot_info->net[i].mac[b];
	info->mtu = ul_kvm_boot_info->net[i].mtu;
	return 0;
}

static uint32_t tx_queued(const struct net_dev *d)
{
	return d->tx_avail - __atomic_load_n(&d->tx->used, __ATOMIC_ACQUIRE);
}

bool ul_kvm_net_tx_pending(void)
{
	for (unsigned i = 0; i < ndevs; i++)
		if (tx_queued(&devs[i]))
			return true;
	return false;
}

uint32_t ul_kvm_net_ready(void)
{
	uint32_t ready = 0;

	for (unsigned i = 0; i < ndevs; i++)
		if (__atomic_load_n(&devs[i].rx->used, __ATOMIC_ACQUIRE) !=
		    devs[i].rx_next)
			ready |= UL_READY_NET(i);
	return ready;
}

uint32_t ul_kvm_net_flush(void)
{
	struct ul_kvm_net_flush f = {0};

	ul_kvm_hypercall(UL_KVM_HC_NET_FLUSH, &f);
	return f.ready;
}

long ul_plat_net_send(unsigned i, const void *frame, size_t len)
{
	if (i >= ndevs)
		return -UL_ENODEV;
	struct net_dev *d = &devs[i];
	if (len < 14 || len > d->max_frame)
		return -UL_EINVAL;
	if (tx_queued(d) == RING_SIZE) {
		ul_kvm_net_flush(); /* the one notification per full ring */
		if (tx_queued(d) == RING_SIZE)
			return -UL_EAGAIN;
	}
	uint32_t n = d->tx_avail % RING_SIZE;
	uint8_t *slot = d->tx_buf + (uint64_t)n * d->slot;
	copy(slot, frame, len);
	d->tx->desc[n].addr = (uintptr_t)slot;
	d->tx->desc[n].len = (uint32_t)len;
	__atomic_store_n(&d->tx->avail, ++d->tx_avail, __ATOMIC_RELEASE);
	return (long)len;
}

long ul_plat_net_recv(unsigned i, void *buf, size_t cap)
{
	if (i >= ndevs)
		return -UL_ENODEV;
	struct net_dev *d = &devs[i];
	uint32_t n = d->rx_next;
	if (__atomic_load_n(&d->rx->used, __ATOMIC_ACQUIRE) == n)
		return -UL_EAGAIN;
	int32_t ret = d->rx->desc[n % RING_SIZE].ret;
	long r = ret;
	if (ret > (int32_t)d->slot)
		r = -UL_EIO; /* the monitor broke the ABI */
	else if (ret >= 0 && (size_t)ret > cap)
		r = -UL_EMSGSIZE;
	else if (ret >= 0)
		copy(buf, d->rx_buf + (uint64_t)(n % RING_SIZE) * d->slot,
		          (size_t)ret);
	d->rx_next = n + 1;
	rx_post(d, n + RING_SIZE);
	return r;
}
