/* A block device as the file systems see it: whole sectors, read and
 * written through two calls. One kind is the backend's device (through
 * ul_plat_block_*), the other a disk held in memory (tests, fuzzing). */
#ifndef UL_FS_BLKDEV_H
#define UL_FS_BLKDEV_H

#include <stddef.h>
#include <stdint.h>

struct blkdev {
	uint32_t sector_size;
	uint64_t sectors;
	int read_only;
	int (*read)(struct blkdev *d, uint64_t sector, void *buf,
	            uint32_t count);
	int (*write)(struct blkdev *d, uint64_t sector, const void *buf,
	             uint32_t count);
	unsigned index;     /* the backend's device number */
	unsigned char *mem; /* a memory disk's bytes */
};

/* Describe the backend's device i; 0 or -UL_ENODEV. */
int blkdev_plat(struct blkdev *d, unsigned i);
/* Describe len bytes at mem (a multiple of 512) as a disk. */
void blkdev_mem(struct blkdev *d, void *mem, size_t len, int read_only);

#endif
