/* unilab-kvm: the block devices' request rings (abi.h, "Block rings").
 * A kick does every request the guest queued on that device's ring, in
 * order, each straight between the disk file and guest memory. As for the
 * net rings, each descriptor is copied once, with single loads, and only
 * the copy is checked and used; a buffer outside guest memory is a ring
 * that lies. */
#include <string.h>

#include <unilab/errno.h>

#include "monitor.h"

static struct ring rings[UL_KVM_MAX_BLOCK];
static bool attached[UL_KVM_MAX_BLOCK];
static const char *const names[UL_KVM_MAX_BLOCK] = {
	"disk0", "disk1", "disk2", "disk3",
};

static int32_t request(struct vm *vm, const struct ul_host_disk *dev,
                       const struct ring *r)
{
	const struct ul_kvm_block_desc *s = ring_next(r);
	struct ul_kvm_block_desc d;

	d.sector = __atomic_load_n(&s->sector, __ATOMIC_RELAXED);
	d.addr = __atomic_load_n(&s->addr, __ATOMIC_RELAXED);
	d.count = __atomic_load_n(&s->count, __ATOMIC_RELAXED);
	d.op = __atomic_load_n(&s->op, __ATOMIC_RELAXED);
	uint64_t len = (uint64_t)d.count * HOST_DISK_SECTOR; /* < 2^41 */
	if (len == 0)
		return 0;
	uint8_t *buf = guest_ptr(&vm->mem, d.addr, len, 1);
	if (buf == NULL)
		ring_lies(vm, r,
		          "a request's buffer [0x%llx, +%llu) is outside guest "
		          "memory", d.addr, len);
	if (d.op != UL_KVM_BLOCK_OP_READ && d.op != UL_KVM_BLOCK_OP_WRITE)
		return -UL_EINVAL;
	return ul_host_disk_io(dev, d.sector, buf, d.count,
	                       d.op == UL_KVM_BLOCK_OP_WRITE);
}

void hc_block_kick(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_block_kick *a =
		hypercall_arg(vm, UL_KVM_HC_BLOCK_KICK, gpa, sizeof(*a));
	uint32_t dev = a->dev;

	if (dev >= vm->block_count || !attached[dev]) {
		a->ret = -UL_ENODEV;
		return;
	}
	struct ring *r = &rings[dev];
	for (uint32_t n = ring_pending(vm, r); n > 0; n--) {
		int32_t ret = request(vm, &vm->block[dev], r);
		struct ul_kvm_block_desc *s = ring_next(r);
		__atomic_store_n(&s->ret, ret, __ATOMIC_RELAXED);
		ring_release(r);
		stats.block_requests++;
	}
	a->ret = 0;
}

void hc_block_ring(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_block_ring_reg *a =
		hypercall_arg(vm, UL_KVM_HC_BLOCK_RING, gpa, sizeof(*a));
	uint32_t dev = a->dev, size = a->size;
	uint64_t ring = a->ring;

	if (dev >= vm->block_count) {
		a->ret = -UL_ENODEV;
		return;
	}
	uint64_t bytes = sizeof(struct ul_kvm_block_desc);
	uint8_t *shared = ring_check(vm, UL_KVM_HC_BLOCK_RING, names[dev],
	                             ring, size, bytes);
	if (attached[dev])
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad block_ring hypercall at rip 0x%llx: disk%u already "
		      "has a ring", (unsigned long long)vm_rip(vm), dev);
	ring_attach(&rings[dev], names[dev], shared, size, bytes);
	attached[dev] = true;
	a->ret = 0;
}

void ring_block_reset(void)
{
	memset(rings, 0, sizeof(rings));
	memset(attached, 0, sizeof(attached));
}
