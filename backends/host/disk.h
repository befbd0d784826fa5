/* Disk files for the programs that run images (the posix backend and the
 * kvm monitor): a regular file or a host block device seen as whole
 * 512-byte sectors, read and written with pread and pwrite.
 *
 * Each program keeps its own table of disks (disk i is the image's block
 * device i); these calls work on one. They return the negative
 * <unilab/errno.h> codes of core/platform.h, so a backend passes them to
 * its image unchanged. */
#ifndef UL_HOST_DISK_H
#define UL_HOST_DISK_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#define HOST_DISK_SECTOR 512u

struct ul_host_disk {
	int fd;
	uint64_t sectors; /* whole sectors; a partial last one is not used */
	bool read_only;   /* the file could not be opened for writing */
};

/* Open path read-write, or read-only when the host refuses writing
 * (permissions, a read-only mount, an immutable file). It must be a
 * regular file or a block device of at least one sector. 0, or a negative
 * error with err saying what is wrong and, for a short file, how to make
 * one that will do. */
int ul_host_disk_open(const char *path, struct ul_host_disk *disk,
		      struct ul_host_error *err);

/* May count sectors from sector be read (write false) or written? 0,
 * -UL_EINVAL when they are not all on the disk, -UL_EROFS for a write to
 * a read-only disk. */
int ul_host_disk_check(const struct ul_host_disk *disk, uint64_t sector,
		       uint64_t count, bool write);

/* Read or write count sectors from sector, between the disk and buf:
 * ul_host_disk_check's errors, or -UL_EIO when the host's read or write
 * fails; 0 when the whole range moved. */
int ul_host_disk_io(const struct ul_host_disk *disk, uint64_t sector, void *buf,
		    uint64_t count, bool write);

#endif
