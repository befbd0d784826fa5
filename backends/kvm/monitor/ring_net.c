/* unilab-kvm: the net devices' rings (abi.h, "Network rings"). Frames the
 * guest queued on a tx ring go out to backends/host's interfaces; frames
 * that arrived fill the rx rings. The guest is stopped while this runs
 * (one vCPU, and we run in its exit), but its memory is still untrusted:
 * each index and descriptor is read once, checked, and only the copy is
 * used; the ring's address, size and used counter are our own. */
#include <stdio.h>
#include <string.h>
#include <unilab/errno.h>

#include "monitor.h"

struct ring {
	struct ul_kvm_ring *shared; /* host pointer to the guest's ring */
	uint32_t size;              /* a power of two */
	uint32_t used;              /* ours; the guest's copy is only written */
};

static struct net_dev_rings {
	bool set;
	struct ring tx, rx;
} rings[UL_KVM_MAX_NET];

static _Noreturn void ring_lies(struct vm *vm, unsigned dev, const char *dir,
                                const char *what, unsigned long long a,
                                unsigned long long b)
{
	char msg[160];
	snprintf(msg, sizeof msg, what, a, b);
	fatal(UL_KVM_EXIT_BAD_HYPERCALL,
	      "bad net%u %s ring (guest rip 0x%llx): %s", dev, dir,
	      (unsigned long long)vm_rip(vm), msg);
}

/* How many descriptors the guest has made available: avail read once, and
 * refused when it claims more than the ring holds. */
static uint32_t ring_pending(struct vm *vm, unsigned dev, const char *dir,
                             const struct ring *r)
{
	uint32_t avail = __atomic_load_n(&r->shared->avail, __ATOMIC_ACQUIRE);
	uint32_t n = avail - r->used;

	if (n > r->size)
		ring_lies(vm, dev, dir,
		          "avail %llu is more than the ring's size ahead of "
		          "used %llu", avail, r->used);
	return n;
}

/* Descriptor `used` copied field by field with single loads (so the
 * compiler cannot read guest memory twice), then its buffer checked. */
static void *desc_fetch(struct vm *vm, unsigned dev, const char *dir,
                        const struct ring *r, struct ul_kvm_desc *d)
{
	const struct ul_kvm_desc *s = &r->shared->desc[r->used & (r->size - 1)];

	d->addr = __atomic_load_n(&s->addr, __ATOMIC_RELAXED);
	d->len = __atomic_load_n(&s->len, __ATOMIC_RELAXED);
	void *p = guest_ptr(&vm->mem, d->addr, d->len, 1);
	if (p == NULL)
		ring_lies(vm, dev, dir,
		          "a descriptor's buffer [0x%llx, +%llu) is outside "
		          "guest memory", d->addr, d->len);
	return p;
}

static void desc_done(struct ring *r, int32_t ret)
{
	struct ul_kvm_desc *s = &r->shared->desc[r->used & (r->size - 1)];

	__atomic_store_n(&s->ret, ret, __ATOMIC_RELAXED);
	r->used++;
	__atomic_store_n(&r->shared->used, r->used, __ATOMIC_RELEASE);
}

static void tx_drain(struct vm *vm, unsigned dev)
{
	struct ring *r = &rings[dev].tx;
	uint32_t n = ring_pending(vm, dev, "tx", r);
	struct ul_kvm_desc d;

	if (n)
		stats.net[dev].tx_kicks++;
	for (; n > 0; n--) {
		const void *frame = desc_fetch(vm, dev, "tx", r, &d);
		long ret = host_net_send(dev, frame, d.len);
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
	uint32_t n = ring_pending(vm, dev, "rx", r);
	struct ul_kvm_desc d;
	bool got = false;

	for (; n > 0; n--) {
		void *buf = desc_fetch(vm, dev, "rx", r, &d);
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

static struct ul_kvm_ring *ring_check(struct vm *vm, uint64_t gpa,
                                      uint32_t size, const char *dir,
                                      unsigned dev)
{
	uint64_t bytes = sizeof(struct ul_kvm_ring) +
	                 (uint64_t)size * sizeof(struct ul_kvm_desc);
	struct ul_kvm_ring *shared = guest_ptr(&vm->mem, gpa, bytes, 8);

	if (shared == NULL)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad net_rings hypercall at rip 0x%llx: net%u's %s ring "
		      "[0x%llx, +%llu) is %s", (unsigned long long)vm_rip(vm),
		      dev, dir, (unsigned long long)gpa,
		      (unsigned long long)bytes,
		      guest_ptr(&vm->mem, gpa, bytes, 1) ? "not 8-byte aligned"
		                                         : "outside guest memory");
	return shared;
}

static void ring_attach(struct ring *r, struct ul_kvm_ring *shared,
                        uint32_t size)
{
	r->shared = shared;
	r->size = size;
	/* Empty at the start: the guest's avail is where we begin. */
	r->used = __atomic_load_n(&r->shared->avail, __ATOMIC_RELAXED);
	__atomic_store_n(&r->shared->used, r->used, __ATOMIC_RELEASE);
}

void hc_net_rings(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_net_rings *a =
		hypercall_arg(vm, UL_KVM_HC_NET_RINGS, gpa, sizeof(*a));
	uint32_t dev = a->dev, size = a->size;
	uint64_t tx = a->tx, rx = a->rx;

	if (dev >= host_net_count()) {
		a->ret = -UL_ENODEV;
		return;
	}
	if (size < UL_KVM_RING_MIN || size > UL_KVM_RING_MAX ||
	    (size & (size - 1)) != 0)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad net_rings hypercall at rip 0x%llx: ring size %u is "
		      "not allowed (a power of two, %d..%d)",
		      (unsigned long long)vm_rip(vm), size, UL_KVM_RING_MIN,
		      UL_KVM_RING_MAX);
	struct ul_kvm_ring *txr = ring_check(vm, tx, size, "tx", dev);
	struct ul_kvm_ring *rxr = ring_check(vm, rx, size, "rx", dev);
	if (rings[dev].set)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad net_rings hypercall at rip 0x%llx: net%u already "
		      "has rings", (unsigned long long)vm_rip(vm), dev);
	ring_attach(&rings[dev].tx, txr, size);
	ring_attach(&rings[dev].rx, rxr, size);
	rings[dev].set = true;
	a->ret = 0;
}

void hc_net_flush(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_net_flush *a =
		hypercall_arg(vm, UL_KVM_HC_NET_FLUSH, gpa, sizeof(*a));

	a->ready = ring_net_service(vm);
}
