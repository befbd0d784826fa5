/* xen guest: block devices. Xen's are a split driver (blkfront) that
 * this backend does not have yet, so every call fails with -UL_ENODEV
 * and says why, once. (The network's split driver is netfront.c.) */
#include <unilab/errno.h>
#include <unilab/log.h>

#include "platform.h"

static int unavailable(void)
{
	static int said;

	if (!said) {
		said = 1;
		ul_warn("xen: block devices are not available on the xen "
		        "backend yet");
	}
	return -UL_ENODEV;
}

int ul_plat_block_info(unsigned i, struct ul_block_info *info)
{
	(void)i;
	(void)info;
	return unavailable();
}

int ul_plat_block_read(unsigned i, uint64_t sector, void *buf, uint32_t count)
{
	(void)i;
	(void)sector;
	(void)buf;
	(void)count;
	return unavailable();
}

int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count)
{
	(void)i;
	(void)sector;
	(void)buf;
	(void)count;
	return unavailable();
}
