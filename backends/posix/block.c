/* posix backend: block devices are backends/host's disk files, attached
 * from the --disk= options in order. */
#include <stdio.h>

#include "disk.h"
#include "platform.h"
#include "posix.h"
#include <unilab/errno.h>

static struct ul_host_disk disks[UL_MAX_BLOCK];
static unsigned ndisks;

int ul_posix_block_attach(const char *path)
{
	struct ul_host_error err;
	if (ndisks == UL_MAX_BLOCK) {
		fprintf(stderr, "too many disks (at most %u)\n", UL_MAX_BLOCK);
		return -1;
	}
	if (ul_host_disk_open(path, &disks[ndisks], &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	ndisks++;
	return 0;
}

unsigned ul_posix_block_count(void)
{
	return ndisks;
}

int ul_plat_block_info(unsigned i, struct ul_block_info *info)
{
	if (i >= ndisks)
		return -UL_ENODEV;
	info->sector_size = HOST_DISK_SECTOR;
	info->sectors = disks[i].sectors;
	info->read_only = disks[i].read_only;
	return 0;
}

int ul_plat_block_read(unsigned i, uint64_t sector, void *buf, uint32_t count)
{
	if (i >= ndisks)
		return -UL_ENODEV;
	return ul_host_disk_io(&disks[i], sector, buf, count, false);
}

int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count)
{
	if (i >= ndisks)
		return -UL_ENODEV;
	/* ul_host_disk_io takes one buffer for both ways; it never writes
	 * into buf when write is true. */
	return ul_host_disk_io(&disks[i], sector, (void *)buf, count, true);
}
