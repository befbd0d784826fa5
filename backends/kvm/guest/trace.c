/* kvm guest: the "app main" boot phase for --trace-boot. The image is
 * linked with --wrap=ul_main, so the core's call to the app lands here
 * first; without --trace-boot this costs no VM exit. */
#include <unilab/app.h>

#include "guest.h"

int __real_ul_main(int argc, char **argv);
int __wrap_ul_main(int argc, char **argv);

int __wrap_ul_main(int argc, char **argv)
{
	if (ul_kvm_boot_info->flags & UL_KVM_BOOT_TRACE) {
		struct ul_kvm_trace t = {.phase = UL_KVM_TRACE_MAIN};
		ul_kvm_hypercall(UL_KVM_HC_TRACE, &t);
	}
	return __real_ul_main(argc, argv);
}
