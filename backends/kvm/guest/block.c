/* kvm guest: block devices, one hypercall per request. */
#include <unilab/errno.h>

#include "guest.h"
#include "platform.h"

int ul_plat_block_info(unsigned i, struct ul_block_info *info)
{
	if (i >= ul_kvm_boot_info->block_count)
		return -UL_ENODEV;
	info->sector_size = ul_kvm_boot_info->block[i].sector_size;
	info->sectors = ul_kvm_boot_info->block[i].sectors;
	info->read_only = (int)ul_kvm_boot_info->block[i].read_only;
	return 0;
}

static int block_call(enum ul_kvm_hypercall nr, unsigned i, uint64_t sector,
                      const void *buf, uint32_t count)
{
	struct ul_kvm_block b = {
		.dev = i, .sector = sector, .data = (uintptr_t)buf, .count = count,
	};

	if (i >= ul_kvm_boot_info->block_count)
		return -UL_ENODEV;
	ul_kvm_hypercall(nr, &b);
	return b.ret;
}

int ul_plat_block_read(unsigned i, uint64_t sector, void *buf, uint32_t count)
{
	return block_call(UL_KVM_HC_BLOCK_READ, i, sector, buf, count);
}

int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count)
{
	return block_call(UL_KVM_HC_BLOCK_WRITE, i, sector, buf, count);
}
