/* The two kinds of block device: the backend's, and one in memory. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "blkdev.h"
#include "platform.h"

static int plat_read(struct blkdev *d, uint64_t sector, void *buf,
                     uint32_t count)
{
	return ul_plat_block_read(d->index, sector, buf, count);
}

static int plat_write(struct blkdev *d, uint64_t sector, const void *buf,
                      uint32_t count)
{
	return ul_plat_block_write(d->index, sector, buf, count);
}

int blkdev_plat(struct blkdev *d, unsigned i)
{
	struct ul_block_info info;
	int rc = ul_plat_block_info(i, &info);
	if (rc < 0)
		return rc;
	if (info.sector_size < 512 || (info.sector_size & (info.sector_size - 1)))
		return -UL_EINVAL;
	*d = (struct blkdev){.sector_size = info.sector_size,
	                     .sectors = info.sectors,
	                     .read_only = info.read_only,
	                     .read = plat_read,
	                     .write = plat_write,
	                     .index = i};
	return 0;
}

/* The range check a backend does, for the memory disk. */
static int mem_range(struct blkdev *d, uint64_t sector, uint32_t count)
{
	return sector > d->sectors || count > d->sectors - sector ? -UL_EINVAL
	                                                           : 0;
}

static int mem_read(struct blkdev *d, uint64_t sector, void *buf,
                    uint32_t count)
{
	int rc = mem_range(d, sector, count);
	if (rc == 0)
		ul_memcpy(buf, d->mem + sector * d->sector_size,
		          (size_t)count * d->sector_size);
	return rc;
}

static int mem_write(struct blkdev *d, uint64_t sector, const void *buf,
                     uint32_t count)
{
	int rc = mem_range(d, sector, count);
	if (rc == 0 && d->read_only)
		rc = -UL_EROFS;
	if (rc == 0)
		ul_memcpy(d->mem + sector * d->sector_size, buf,
		          (size_t)count * d->sector_size);
	return rc;
}

void blkdev_mem(struct blkdev *d, void *mem, size_t len, int read_only)
{
	*d = (struct blkdev){.sector_size = 512,
	                     .sectors = len / 512,
	                     .read_only = read_only,
	                     .read = mem_read,
	                     .write = mem_write,
	                     .mem = mem};
}
