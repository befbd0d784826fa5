/* unilab-kvm: what every ring of abi.h shares, net or block: checking a
 * ring the guest registers, reading its avail index once and refusing one
 * that lies, finding the next descriptor and handing it back. The ring's
 * address, size and used counter are the monitor's own copies; the
 * guest's memory is only read through them. */
#include <stdio.h>

#include "monitor.h"

_Noreturn void ring_lies(struct vm *vm, const struct ring *r,
                         const char *what, unsigned long long a,
                         unsigned long long b)
{
	char msg[160];
	snprintf(msg, sizeof msg, what, a, b);
	fatal(UL_KVM_EXIT_BAD_HYPERCALL, "bad %s ring (guest rip 0x%llx): %s",
	      r->name, (unsigned long long)vm_rip(vm), msg);
}

static bool ring_size_ok(uint32_t size)
{
	return size >= UL_KVM_RING_MIN && size <= UL_KVM_RING_MAX &&
	       (size & (size - 1)) == 0;
}

uint8_t *ring_check(struct vm *vm, unsigned call, const char *name,
                   uint64_t gpa, uint32_t size, uint64_t desc_bytes)
{
	if (!ring_size_ok(size))
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad %s hypercall at rip 0x%llx: ring size %u is not "
		      "allowed (a power of two, %d..%d)", hypercall_name(call),
		      (unsigned long long)vm_rip(vm), size, UL_KVM_RING_MIN,
		      UL_KVM_RING_MAX);
	uint64_t bytes = 2 * sizeof(uint32_t) + (uint64_t)size * desc_bytes;
	uint8_t *shared = guest_ptr(&vm->mem, gpa, bytes, 8);
	if (shared == NULL)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad %s hypercall at rip 0x%llx: the %s ring [0x%llx, "
		      "+%llu) is %s", hypercall_name(call),
		      (unsigned long long)vm_rip(vm), name,
		      (unsigned long long)gpa, (unsigned long long)bytes,
		      guest_ptr(&vm->mem, gpa, bytes, 1) ? "not 8-byte aligned"
		                                         : "outside guest memory");
	return shared;
}

void ring_attach(struct ring *r, const char *name, uint8_t *shared,
                 uint32_t size, uint64_t desc_bytes)
{
	r->name = name;
	r->avail = (uint32_t *)shared;
	r->used_shared = (uint32_t *)shared + 1;
	r->desc = shared + 2 * sizeof(uint32_t);
	r->desc_bytes = desc_bytes;
	r->size = size;
	/* Empty at the start: the guest's avail is where we begin. */
	r->used = __atomic_load_n(r->avail, __ATOMIC_RELAXED);
	__atomic_store_n(r->used_shared, r->used, __ATOMIC_RELEASE);
}

uint32_t ring_pending(struct vm *vm, const struct ring *r)
{
	uint32_t avail = __atomic_load_n(r->avail, __ATOMIC_ACQUIRE);
	uint32_t n = avail - r->used;

	if (n > r->size)
		ring_lies(vm, r,
		          "avail %llu is more than the ring's size ahead of "
		          "used %llu", avail, r->used);
	return n;
}

void *ring_next(const struct ring *r)
{
	return r->desc + (uint64_t)(r->used & (r->size - 1)) * r->desc_bytes;
}

void ring_release(struct ring *r)
{
	r->used++;
	__atomic_store_n(r->used_shared, r->used, __ATOMIC_RELEASE);
}
