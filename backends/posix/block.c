/* posix backend: block devices backed by files, in 512-byte sectors read
 * and written with pread/pwrite. A file that is not a whole number of
 * sectors long exposes only its whole sectors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "posix.h"
#include <unilab/errno.h>

#define SECTOR_SIZE 512u

static struct disk {
	int fd;
	uint64_t sectors;
	int read_only;
} disks[UL_MAX_BLOCK];
static unsigned ndisks;

int posix_block_attach(const char *path)
{
	if (ndisks == UL_MAX_BLOCK) {
		fprintf(stderr, "too many disks (at most %u)\n", UL_MAX_BLOCK);
		return -1;
	}
	struct disk *d = &disks[ndisks];
	d->read_only = 0;
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0 && (errno == EACCES || errno == EROFS)) {
		d->read_only = 1;
		d->fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (d->fd < 0) {
		fprintf(stderr, "cannot open disk %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(d->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "disk %s: not a regular file\n", path);
		close(d->fd);
		return -1;
	}
	d->sectors = (uint64_t)st.st_size / SECTOR_SIZE;
	ndisks++;
	return 0;
}

unsigned posix_block_count(void)
{
	return ndisks;
}

int ul_plat_block_info(unsigned i, struct ul_block_info *info)
{
	if (i >= ndisks)
		return -UL_ENODEV;
	info->sector_size = SECTOR_SIZE;
	info->sectors = disks[i].sectors;
	info->read_only = disks[i].read_only;
	return 0;
}

/* Check that [sector, sector+count) lies on device i; return the device. */
static struct disk *checked(unsigned i, uint64_t sector, uint32_t count,
                            int *err)
{
	if (i >= ndisks) {
		*err = -UL_ENODEV;
		return NULL;
	}
	struct disk *d = &disks[i];
	if (sector > d->sectors || count > d->sectors - sector) {
		*err = -UL_EINVAL;
		return NULL;
	}
	return d;
}

/* pread or pwrite the whole range, resuming after short transfers. */
static int transfer(int fd, char *buf, size_t len, off_t off, int write)
{
	while (len > 0) {
		ssize_t n = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -UL_EIO;
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

int ul_plat_block_read(unsigned i, uint64_t sector, void *buf, uint32_t count)
{
	int err;
	struct disk *d = checked(i, sector, count, &err);
	if (!d)
		return err;
	return transfer(d->fd, buf, (size_t)count * SECTOR_SIZE,
	                (off_t)(sector * SECTOR_SIZE), 0);
}

int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count)
{
	int err;
	struct disk *d = checked(i, sector, count, &err);
	if (!d)
		return err;
	if (d->read_only)
		return -UL_EROFS;
	return transfer(d->fd, (char *)buf, (size_t)count * SECTOR_SIZE,
	                (off_t)(sector * SECTOR_SIZE), 1);
}
