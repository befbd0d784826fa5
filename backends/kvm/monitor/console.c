/* unilab-kvm: the console device is backends/host's: the guest's bytes go
 * to the monitor's standard output as they are. The guest buffers lines,
 * so each call is usually one whole line. */
#include "console.h"
#include "monitor.h"

void hc_console(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_console *a =
		hypercall_arg(vm, UL_KVM_HC_CONSOLE, gpa, sizeof(*a));
	uint64_t len = a->len;
	const uint8_t *p =
		hypercall_buf(vm, UL_KVM_HC_CONSOLE, "text", a->data, len);

	trace_mark(TRACE_FIRST_OUTPUT);
	ul_host_console_write(p, len);
}
