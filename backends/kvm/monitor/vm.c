/* unilab-kvm: the KVM objects: the VM, its one memory slot and its one
 * vCPU. Kept to the fewest ioctls, because on a software KVM each costs
 * microseconds and creating the VM and vCPU dominates the boot. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "monitor.h"

static _Noreturn void kvm_failed(const char *what)
{
	fatal(UL_KVM_EXIT_HOST, "%s failed: %s", what, strerror(errno));
}

static int open_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fatal(UL_KVM_EXIT_HOST,
		      "cannot open /dev/kvm: %s (KVM needs the kvm_intel, kvm_amd "
		      "or kvm_pvm module and read-write access to /dev/kvm, "
		      "e.g. membership of group kvm)",
		      strerror(errno));
	int version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION)
		fatal(UL_KVM_EXIT_HOST, "/dev/kvm speaks KVM API %d, not %d",
		      version, KVM_API_VERSION);
	return fd;
}

void vm_open_kvm(struct vm *vm)
{
	vm->kvm_fd = open_kvm();
}

void vm_create(struct vm *vm)
{
	if (vm->kvm_fd <= 0) /* zero: a struct vm not yet used */
		vm_open_kvm(vm);
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		kvm_failed("KVM_CREATE_VM");

	struct kvm_userspace_memory_region slot = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = vm->mem.size,
		.userspace_addr = (uint64_t)(uintptr_t)vm->mem.base,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		kvm_failed("KVM_SET_USER_MEMORY_REGION");

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		kvm_failed("KVM_CREATE_VCPU");
	int run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(struct kvm_run))
		kvm_failed("KVM_GET_VCPU_MMAP_SIZE");
	vm->run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE,
	               MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED)
		kvm_failed("mapping the vCPU's kvm_run");
}

/* The guest's TSC rate, which KVM may scale away from the host's; the
 * guest's clock is only right with this number. */
uint64_t vm_tsc_khz(const struct vm *vm)
{
	int khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
	if (khz <= 0)
		kvm_failed("KVM_GET_TSC_KHZ");
	return (uint64_t)khz;
}

uint64_t vm_rip(const struct vm *vm)
{
	struct kvm_regs regs;
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) < 0)
		return 0;
	return regs.rip;
}

void vm_destroy(struct vm *vm)
{
	int run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);

	if (vm->run && run_size > 0)
		munmap(vm->run, (size_t)run_size);
	if (vm->vcpu_fd > 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd > 0)
		close(vm->vm_fd);
	vm->run = NULL;
	vm->vcpu_fd = vm->vm_fd = 0;
}
