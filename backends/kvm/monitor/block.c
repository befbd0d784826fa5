/* unilab-kvm: block devices over files (or host block devices), in
 * 512-byte sectors. Reads and writes go straight between the file and
 * guest memory, one pread or pwrite per request (ring_block.c takes the
 * requests off the guest's rings). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "monitor.h"

void block_open(struct vm *vm, const char *path)
{
	struct block_dev *dev = &vm->block[vm->block_count];

	dev->fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		dev->fd = open(path, O_RDONLY | O_CLOEXEC);
		dev->read_only = true;
	}
	if (dev->fd < 0)
		fatal(UL_KVM_EXIT_HOST, "cannot open disk %s: %s", path,
		      strerror(errno));
	off_t size = lseek(dev->fd, 0, SEEK_END);
	if (size < 0)
		fatal(UL_KVM_EXIT_HOST, "cannot find the size of disk %s: %s",
		      path, strerror(errno));
	if (size < BLOCK_SECTOR_SIZE)
		fatal(UL_KVM_EXIT_HOST,
		      "disk %s is smaller than one sector (%d bytes); make one "
		      "with e.g. truncate -s 1M %s",
		      path, BLOCK_SECTOR_SIZE, path);
	dev->sectors = (uint64_t)size / BLOCK_SECTOR_SIZE;
	vm->block_count++;
}

/* The whole transfer, or -UL_EIO. */
static int transfer(int fd, uint8_t *buf, uint64_t len, uint64_t off,
                    bool write)
{
	while (len > 0) {
		ssize_t n = write ? pwrite(fd, buf, len, (off_t)off)
		                  : pread(fd, buf, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -UL_EIO;
		buf += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

int block_rw(const struct block_dev *dev, bool write, uint64_t sector,
             uint32_t count, uint8_t *buf)
{
	if (sector > dev->sectors || count > dev->sectors - sector)
		return -UL_EINVAL;
	if (write && dev->read_only)
		return -UL_EROFS;
	/* count < 2^32: no overflow */
	return transfer(dev->fd, buf, (uint64_t)count * BLOCK_SECTOR_SIZE,
	                sector * BLOCK_SECTOR_SIZE, write);
}
