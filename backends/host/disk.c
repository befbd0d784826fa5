/* Host library: disk files (disk.h), one implementation for every program
 * that runs images, so they accept the same files and refuse the same
 * ones with the same words. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "disk.h"

int ul_host_disk_open(const char *path, struct ul_host_disk *disk,
		      struct ul_host_error *err)
{
	disk->read_only = false;
	disk->fd = open(path, O_RDWR | O_CLOEXEC);
	/* EPERM: an immutable file (chattr +i), which even root cannot
	 * write but anyone may read. */
	if (disk->fd < 0 &&
	    (errno == EACCES || errno == EROFS || errno == EPERM)) {
		disk->read_only = true;
		disk->fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (disk->fd < 0)
		return ul_host_fail(err, -UL_EIO, "cannot open disk %s: %s",
				    path, strerror(errno));

	struct stat st;
	/* A FIFO or a terminal has no sectors to address: refuse it before
	 * the image reads from it as if it were a disk. */
	if (fstat(disk->fd, &st) < 0 ||
	    (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		close(disk->fd);
		return ul_host_fail(err, -UL_EINVAL,
				    "disk %s: not a regular file "
				    "or block device",
				    path);
	}
	/* lseek, not st_size: a block device's size is only known this way. */
	off_t size = lseek(disk->fd, 0, SEEK_END);
	if (size < 0) {
		int e = errno;
		close(disk->fd);
		return ul_host_fail(err, -UL_EIO,
				    "cannot find the size of disk "
				    "%s: %s",
				    path, strerror(e));
	}
	if (size < (off_t)HOST_DISK_SECTOR) {
		close(disk->fd);
		return ul_host_fail(
			err, -UL_EINVAL,
			"disk %s is smaller than one "
			"sector (%u bytes); make one with e.g. truncate "
			"-s 1M %s",
			path, HOST_DISK_SECTOR, path);
	}
	disk->sectors = (uint64_t)size / HOST_DISK_SECTOR;
	return 0;
}

int ul_host_disk_check(const struct ul_host_disk *disk, uint64_t sector,
		       uint64_t count, bool write)
{
	if (sector > disk->sectors || count > disk->sectors - sector)
		return -UL_EINVAL;
	if (write && disk->read_only)
		return -UL_EROFS;
	return 0;
}

int ul_host_disk_io(const struct ul_host_disk *disk, uint64_t sector, void *buf,
		    uint64_t count, bool write)
{
	int r = ul_host_disk_check(disk, sector, count, write);
	if (r < 0)
		return r;
	/* In range, so no overflow: sectors * 512 is the file's size. */
	uint8_t *p = buf;
	uint64_t len = count * HOST_DISK_SECTOR;
	off_t off = (off_t)(sector * HOST_DISK_SECTOR);
	while (len > 0) {
		ssize_t n = write ? pwrite(disk->fd, p, len, off)
		                  : pread(disk->fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) /* 0: the file shrank under us */
			return -UL_EIO;
		p += n;
		len -= (uint64_t)n;
		off += n;
	}
	return 0;
}
