/* unilab-kvm: hypercall dispatch, and the checks that turn a guest
 * address in a call into a host pointer or a bad-hypercall exit. */
#include "monitor.h"

static const struct {
	const char *name;
	void (*handler)(struct vm *vm, uint64_t gpa);
} calls[UL_KVM_HC_COUNT] = {
	[UL_KVM_HC_CONSOLE] = {"console", hc_console},
	[UL_KVM_HC_POLL] = {"poll", hc_poll},
	[UL_KVM_HC_EXIT] = {"exit", hc_exit},
	[UL_KVM_HC_ABORT] = {"abort", hc_abort},
	[UL_KVM_HC_NET_RINGS] = {"net_rings", hc_net_rings},
	[UL_KVM_HC_NET_FLUSH] = {"net_flush", hc_net_flush},
	[UL_KVM_HC_BLOCK_RING] = {"block_ring", hc_block_ring},
	[UL_KVM_HC_BLOCK_KICK] = {"block_kick", hc_block_kick},
	[UL_KVM_HC_TRACE] = {"trace", hc_trace},
	[UL_KVM_HC_DEBUG] = {"debug", hc_debug},
	[UL_KVM_HC_ENTROPY] = {"entropy", hc_entropy},
};

/* nr < UL_KVM_HC_COUNT, checked by the exit loop. */
const char *hypercall_name(unsigned nr)
{
	return calls[nr].name;
}

void hypercall(struct vm *vm, unsigned nr, uint64_t arg_gpa)
{
	stats.hypercalls[nr]++;
	calls[nr].handler(vm, arg_gpa);
}

void *hypercall_arg(struct vm *vm, unsigned nr, uint64_t gpa, uint64_t size)
{
	void *p = guest_ptr(&vm->mem, gpa, size, 8);
	if (p == NULL)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad %s hypercall at rip 0x%llx: its argument struct "
		      "[0x%llx, +%llu) is %s",
		      hypercall_name(nr), (unsigned long long)vm_rip(vm),
		      (unsigned long long)gpa, (unsigned long long)size,
		      guest_ptr(&vm->mem, gpa, size, 1) ? "not 8-byte aligned"
		                                         : "outside guest memory");
	return p;
}

void *hypercall_buf(struct vm *vm, unsigned nr, const char *what,
                    uint64_t gpa, uint64_t len)
{
	void *p = guest_ptr(&vm->mem, gpa, len, 1);
	if (p == NULL)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad %s hypercall at rip 0x%llx: %s [0x%llx, +%llu) is "
		      "outside guest memory [0x%llx, 0x%llx)",
		      hypercall_name(nr), (unsigned long long)vm_rip(vm), what,
		      (unsigned long long)gpa, (unsigned long long)len,
		      UL_KVM_PAGE, (unsigned long long)vm->mem.size);
	return p;
}
