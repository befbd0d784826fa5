/* The raw KVM floor: the least any KVM monitor can do to run a guest.
 * Create a VM with one small memory slot and one vCPU, run `out; hlt`,
 * exit. Boot benchmarks of unilab-kvm are measured against this program,
 * built the same way (static). The guest is the vCPU's reset state, so
 * not even a register is set: the CPU starts in real mode at physical
 * 0xfffffff0, the top of the slot. */
#define _GNU_SOURCE /* O_CLOEXEC and MAP_ANONYMOUS under -std=c11 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define SLOT_SIZE 0x1000u
#define SLOT_BASE (0x100000000ull - SLOT_SIZE) /* holds the reset vector */
#define PORT 0x10

static int fail(const char *what)
{
	perror(what);
	return 1;
}

int main(void)
{
	/* out %al, $PORT; hlt; at the reset vector, 16 bytes below 4 GiB */
	static const uint8_t code[] = {0xe6, PORT, 0xf4};
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("/dev/kvm");
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("KVM_CREATE_VM");

	uint8_t *mem = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE,
	                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap");
	memcpy(mem + SLOT_SIZE - 16, code, sizeof(code));
	struct kvm_userspace_memory_region slot = {
		.slot = 0,
		.guest_phys_addr = SLOT_BASE,
		.memory_size = SLOT_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");

	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	int size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	struct kvm_run *run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
	                           MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return fail("mmap kvm_run");

	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			return fail("KVM_RUN");
		if (run->exit_reason == KVM_EXIT_HLT)
			return 0;
		if (run->exit_reason != KVM_EXIT_IO || run->io.port != PORT) {
			fprintf(stderr, "kvm_floor: unexpected exit %u\n",
			        run->exit_reason);
			return 1;
		}
	}
}
