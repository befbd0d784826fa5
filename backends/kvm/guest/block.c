/* kvm guest: block devices over the request rings of abi.h. The platform
 * seam's block calls are synchronous, so a call queues its one request
 * and kicks: one exit per call, as the buffer cache expects (it merges
 * adjacent blocks into one call). A device's ring is registered on its
 * first request, so an image that never touches its disk pays nothing at
 * boot. */
#include <unilab/errno.h>

#include "guest.h"
#include "platform.h"

/* One request at a time needs no more than the smallest ring. */
#define RING_SIZE UL_KVM_RING_MIN

static struct {
	struct ul_kvm_block_ring ring;
	struct ul_kvm_block_desc desc[RING_SIZE];
} rings[UL_KVM_MAX_BLOCK];
static bool registered[UL_KVM_MAX_BLOCK];

int ul_plat_block_info(unsigned i, struct ul_block_info *info)
{
	if (i >= ul_kvm_boot_info->block_count)
		return -UL_ENODEV;
	info->sector_size = ul_kvm_boot_info->block[i].sector_size;
	info->sectors = ul_kvm_boot_info->block[i].sectors;
	info->read_only = (int)ul_kvm_boot_info->block[i].read_only;
	return 0;
}

static int ring_register(unsigned i)
{
	struct ul_kvm_block_ring_reg r = {
		.dev = i, .ring = (uintptr_t)&rings[i].ring, .size = RING_SIZE,
	};

	ul_kvm_hypercall(UL_KVM_HC_BLOCK_RING, &r);
	registered[i] = r.ret == 0;
	return r.ret;
}

static int request(enum ul_kvm_block_op op, unsigned i, uint64_t sector,
                   const void *buf, uint32_t count)
{
	if (i >= ul_kvm_boot_info->block_count)
		return -UL_ENODEV;
	if (!registered[i]) {
		int err = ring_register(i);
		if (err < 0)
			return err;
	}
	struct ul_kvm_block_ring *r = &rings[i].ring;
	uint32_t n = r->avail;
	struct ul_kvm_block_desc *d = &r->desc[n % RING_SIZE];
	struct ul_kvm_block_kick k = {.dev = i};

	d->op = op;
	d->sector = sector;
	d->addr = (uintptr_t)buf;
	d->count = count;
	__atomic_store_n(&r->avail, n + 1, __ATOMIC_RELEASE);
	ul_kvm_hypercall(UL_KVM_HC_BLOCK_KICK, &k);
	if (k.ret < 0)
		return k.ret;
	if (__atomic_load_n(&r->used, __ATOMIC_ACQUIRE) != n + 1)
		return -UL_EIO; /* the monitor broke the ABI */
	return d->ret;
}

int ul_plat_block_read(unsigned i, uint64_t sector, void *buf, uint32_t count)
{
	return request(UL_KVM_BLOCK_OP_READ, i, sector, buf, count);
}

int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count)
{
	return request(UL_KVM_BLOCK_OP_WRITE, i, sector, buf, count);
}
