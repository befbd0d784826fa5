/* unilab-kvm: block devices over files (or host block devices), in
 * 512-byte sectors. Reads and writes go straight between the file and
 * guest memory, one pread or pwrite per call. */
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

static void block_io(struct vm *vm, uint64_t gpa, unsigned nr, bool write)
{
	struct ul_kvm_block *a = hypercall_arg(vm, nr, gpa, sizeof(*a));
	uint64_t sector = a->sector, count = a->count;

	if (a->dev >= vm->block_count) {
		a->ret = -UL_ENODEV;
		return;
	}
	const struct block_dev *dev = &vm->block[a->dev];
	if (sector > dev->sectors || count > dev->sectors - sector) {
		a->ret = -UL_EINVAL;
		return;
	}
	if (write && dev->read_only) {
		a->ret = -UL_EROFS;
		return;
	}
	uint64_t len = count * BLOCK_SECTOR_SIZE; /* count < 2^32: no overflow */
	uint8_t *buf = hypercall_buf(vm, nr, "buffer", a->data, len);
	a->ret = transfer(dev->fd, buf, len, sector * BLOCK_SECTOR_SIZE, write);
}

void hc_block_read(struct vm *vm, uint64_t gpa)
{
	block_io(vm, gpa, UL_KVM_HC_BLOCK_READ, false);
}

void hc_block_write(struct vm *vm, uint64_t gpa)
{
	block_io(vm, gpa, UL_KVM_HC_BLOCK_WRITE, true);
}
