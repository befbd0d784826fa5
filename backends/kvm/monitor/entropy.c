/* unilab-kvm: the entropy device: bytes from the host kernel's getrandom(),
 * in calls of at most UL_KVM_ENTROPY_MAX bytes so that one guest request
 * never holds the vCPU long. */
#include <errno.h>
#include <sys/random.h>

#include <unilab/errno.h>

#include "monitor.h"

void hc_entropy(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_entropy *a =
		hypercall_arg(vm, UL_KVM_HC_ENTROPY, gpa, sizeof(*a));
	/* LAB hypercall.monitor BEGIN: the guest's struct is read (a above);
	 * now trust nothing else in it. A length above UL_KVM_ENTROPY_MAX is
	 * an error the guest can handle (-UL_EINVAL, see abi.h); the buffer
	 * must lie inside guest memory (hypercall_buf ends the guest if not);
	 * getrandom() may return fewer bytes than asked, or fail with EINTR.
	 * Copy a->len once: the guest could change it while you work. */
	uint32_t len = a->len;

	if (len > UL_KVM_ENTROPY_MAX) {
		a->ret = -UL_EINVAL;
		return;
	}
	uint8_t *p = hypercall_buf(vm, UL_KVM_HC_ENTROPY, "buffer", a->data,
	                           len);
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			a->ret = -UL_EIO;
			return;
		}
		p += n;
		len -= (uint32_t)n;
	}
	a->ret = 0;
	/* LAB hypercall.monitor END: a->ret = -UL_ENOSYS; */
}
