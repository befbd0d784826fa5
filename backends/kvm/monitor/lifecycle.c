/* unilab-kvm: the calls that mark the guest's life: the boot phase it
 * reached (for --trace-boot) and its exit. */
#include "monitor.h"

void hc_exit(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_exit *a = hypercall_arg(vm, UL_KVM_HC_EXIT, gpa, sizeof(*a));
	monitor_exit((int)(a->status & 0xff));
}

void hc_trace(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_trace *a =
		hypercall_arg(vm, UL_KVM_HC_TRACE, gpa, sizeof(*a));
	if (a->phase != UL_KVM_TRACE_MAIN)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad trace hypercall: unknown boot phase %u", a->phase);
	trace_mark(TRACE_APP_MAIN);
}
