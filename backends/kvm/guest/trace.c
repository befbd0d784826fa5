/* kvm guest: the "app main" boot phase for --trace-boot, which the core
 * reaches just before the app (ul_boot_info.before_main); without
 * --trace-boot this costs no VM exit. */
#include "guest.h"

void ul_kvm_trace_main(void)
{
	if (ul_kvm_boot_info->flags & UL_KVM_BOOT_TRACE) {
		struct ul_kvm_trace t = {.phase = UL_KVM_TRACE_MAIN};
		ul_kvm_hypercall(UL_KVM_HC_TRACE, &t);
	}
}
