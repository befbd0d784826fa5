/* unilab-kvm: block devices are backends/host's disk files (regular files
 * or host block devices), as the posix backend's are. ring_block.c takes
 * the requests off the guest's rings; each goes straight between the file
 * and guest memory, one call per request. */
#include "monitor.h"

void block_open(struct vm *vm, const char *path)
{
	struct ul_host_error err;

	if (ul_host_disk_open(path, &vm->block[vm->block_count], &err) < 0)
		fatal(UL_KVM_EXIT_HOST, "%s", err.msg);
	vm->block_count++;
}
