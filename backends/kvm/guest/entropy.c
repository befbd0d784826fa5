/* kvm guest: entropy from the host, UL_KVM_ENTROPY_MAX bytes per
 * hypercall. */
#include "guest.h"
#include "platform.h"

#include <unilab/errno.h>

int ul_plat_entropy(void *buf, size_t len)
{
	/* LAB hypercall.guest BEGIN: ask the monitor with
	 * ul_kvm_hypercall(UL_KVM_HC_ENTROPY, &arg) (struct ul_kvm_entropy in
	 * abi.h), at most UL_KVM_ENTROPY_MAX bytes per call, until len bytes
	 * are filled; pass on the monitor's error. */
	unsigned char *p = buf;

	while (len > 0) {
		uint32_t n = len < UL_KVM_ENTROPY_MAX ? (uint32_t)len
		                                      : UL_KVM_ENTROPY_MAX;
		struct ul_kvm_entropy e = {.data = (uintptr_t)p, .len = n};
		ul_kvm_hypercall(UL_KVM_HC_ENTROPY, &e);
		if (e.ret < 0)
			return e.ret;
		p += n;
		len -= n;
	}
	return 0;
	/* LAB hypercall.guest END: (void)buf; (void)len; return -UL_ENOSYS; */
}
