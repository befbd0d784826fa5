/* unilab-kvm: the net devices' rings (abi.h, "Network rings"). Frames the
 * guest queued on a tx ring go out to backends/host's interfaces; frames
 * that arrived fill the rx rings. The guest is stopped while this runs
 * (one vCPU, and we run in its exit), but its memory is still untrusted:
 * each index and descriptor is read once, checked, and only the copy is
 * used (ring.c keeps the ring's address, size and used counter). */
#include <string.h>
#include <unilab/errno.h>

#include "monitor.h"

static struct net_dev_rings {
	bool set;
	struct ring tx, rx;
} rings[UL_KVM_MAX_NET];

static const char *const names[UL_KVM_MAX_NET][2] = {
	{"net0 tx", "net0 rx"}, {"net1 tx", "net1 rx"},
	{"net2 tx", "net2 rx"}, {"net3 tx", "net3 rx"},
};

/* The descriptor at used, copied field by field with single loads (so the
 * compiler cannot read guest memory twice), then its buffer checked. */
static void *desc_fetch(struct vm *vm, const struct ring *r,
                        struct ul_kvm_desc *d)
{
	const struct ul_kvm_desc *s = ring_next(r);

	d->addr = __atomic_load_n(&s->addr, __ATOMIC_RELAXED);
	d->len = __atomic_load_n(&s->len, __ATOMIC_RELAXED);
	void *p = guest_ptr(&vm->mem, d->addr, d->len, 1);
	if (p == NULL)
		ring_lies(vm, r,
		          "a descriptor's buffer [0x%llx, +%llu) is outside "
		          "guest memory", d->addr, d->len);
	return p;
}

static void desc_done(struct ring *r, int32_t ret)
{
	struct ul_kvm_desc *s = ring_next(r);

	__atomic_store_n(&s->ret, ret, __ATOMIC_RELAXED);
	ring_release(r);
}

static void tx_drain(struct vm *vm, unsigned dev)
{
	struct ring *r = &rings[dev].tx;
	uint32_t n = ring_pending(vm, r);
	struct ul_kvm_desc d;

	if (n)
		stats.net[dev].tx_kicks++;
	for (; n > 0; n--) {
		const void *frame = desc_fetch(vm, r, &d);
		long ret = ul_host_net_send(dev, frame, d.len);
		if (ret < 0)
			stats.net[dev].tx_dropped++;
		else
			stats.net[dev].tx_frames++;
		desc_done(r, (int32_t)ret);
	}
}

/* True when frames went into the ring. */
static bool rx_fill(struct vm *vm, unsigned dev)
{
	struct ring *r = &rings[dev].rx;
	uint32_t n = ring_pending(vm, r);
	struct ul_kvm_desc d;
	bool got = false;

	for (; n > 0; n--) {
		void *buf = desc_fetch(vm, r, &d);
		long ret = ondemand_recv(dev, buf, d.len);
		if (ret == -UL_EAGAIN)
			break;
		stats.net[dev].rx_frames++;
		desc_done(r, (int32_t)ret);
		got = true;
	}
	if (got)
		stats.net[dev].rx_wakes++;
	return got;
}

uint32_t ring_net_rx(struct vm *vm)
{
	uint32_t ready = 0;

	for (unsigned i = 0; i < UL_KVM_MAX_NET; i++)
		if (rings[i].set && rx_fill(vm, i))
			ready |= 1u << i;
	return ready;
}

uint32_t ring_net_service(struct vm *vm)
{
	for (unsigned i = 0; i < UL_KVM_MAX_NET; i++)
		if (rings[i].set)
			tx_drain(vm, i);
	return ring_net_rx(vm);
}

void ring_net_reset(void)
{
	memset(rings, 0, sizeof(rings));
}

void hc_net_rings(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_net_rings *a =
		hypercall_arg(vm, UL_KVM_HC_NET_RINGS, gpa, sizeof(*a));
	uint32_t dev = a->dev, size = a->size;
	uint64_t tx = a->tx, rx = a->rx;

	if (dev >= ul_host_net_count()) {
		a->ret = -UL_ENODEV;
		return;
	}
	uint64_t bytes = sizeof(struct ul_kvm_desc);
	uint8_t *txr = ring_check(vm, UL_KVM_HC_NET_RINGS, names[dev][0], tx,
	                          size, bytes);
	uint8_t *rxr = ring_check(vm, UL_KVM_HC_NET_RINGS, names[dev][1], rx,
	                          size, bytes);
	if (rings[dev].set)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad net_rings hypercall at rip 0x%llx: net%u already "
		      "has rings", (unsigned long long)vm_rip(vm), dev);
	ring_attach(&rings[dev].tx, names[dev][0], txr, size, bytes);
	ring_attach(&rings[dev].rx, names[dev][1], rxr, size, bytes);
	rings[dev].set = true;
	a->ret = 0;
}

void hc_net_flush(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_net_flush *a =
		hypercall_arg(vm, UL_KVM_HC_NET_FLUSH, gpa, sizeof(*a));

	a->ready = ring_net_service(vm);
}
