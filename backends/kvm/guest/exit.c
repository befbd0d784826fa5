/* kvm guest: the end. The console buffer and queued frames go out first; the monitor then
 * exits with the status and never resumes the vCPU. */
#include "guest.h"
#include "platform.h"

_Noreturn void ul_plat_exit(int status)
{
	struct ul_kvm_exit e = {.status = (uint32_t)status & 0xff};

	ul_kvm_console_flush();
	if (ul_kvm_net_tx_pending()) /* a last FIN must not be lost */
		ul_kvm_net_flush();
	ul_kvm_hypercall(UL_KVM_HC_EXIT, &e);
	__builtin_trap(); /* unreachable: would be reported as #UD */
}
