/* unilab-kvm: block devices are backends/host's disk files (regular files
 * or host block devices), as the posix backend's are. Reads and writes go
 * straight between the file and guest memory, one call per request. */
#include <unilab/errno.h>

#include "monitor.h"

void block_open(struct vm *vm, const char *path)
{
	struct ul_host_error err;

	if (ul_host_disk_open(path, &vm->block[vm->block_count], &err) < 0)
		fatal(UL_KVM_EXIT_HOST, "%s", err.msg);
	vm->block_count++;
}

static void block_io(struct vm *vm, uint64_t gpa, unsigned nr, bool write)
{
	struct ul_kvm_block *a = hypercall_arg(vm, nr, gpa, sizeof(*a));
	uint64_t sector = a->sector, count = a->count;

	if (a->dev >= vm->block_count) {
		a->ret = -UL_ENODEV;
		return;
	}
	const struct ul_host_disk *dev = &vm->block[a->dev];
	/* Refuse a bad range before the buffer is looked at: only a buffer
	 * outside guest memory is a bad hypercall. */
	a->ret = ul_host_disk_check(dev, sector, count, write);
	if (a->ret < 0)
		return;
	uint64_t len = count * HOST_DISK_SECTOR; /* count < 2^32: no overflow */
	uint8_t *buf = hypercall_buf(vm, nr, "buffer", a->data, len);
	a->ret = ul_host_disk_io(dev, sector, buf, count, write);
}

void hc_block_read(struct vm *vm, uint64_t gpa)
{
	block_io(vm, gpa, UL_KVM_HC_BLOCK_READ, false);
}

void hc_block_write(struct vm *vm, uint64_t gpa)
{
	block_io(vm, gpa, UL_KVM_HC_BLOCK_WRITE, true);
}
