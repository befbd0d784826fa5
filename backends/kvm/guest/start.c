/* kvm guest: the first C code. Checks that it speaks the monitor's ABI,
 * sets up the clock and the exception handlers, and hands the machine to
 * the core. */
#include <unilab/panic.h>

#include "guest.h"
#include "platform.h"

const struct ul_kvm_boot_info *ul_kvm_boot_info;

_Noreturn void ul_kvm_start(const struct ul_kvm_boot_info *bi);

/* Before the core runs there is no printf: say it with raw writes. */
static _Noreturn void refuse(const char *msg, uint32_t len)
{
	struct ul_kvm_console c = {.data = (uintptr_t)msg, .len = len};
	struct ul_kvm_exit e = {.status = UL_EXIT_PANIC};

	ul_kvm_hypercall(UL_KVM_HC_CONSOLE, &c);
	ul_kvm_hypercall(UL_KVM_HC_EXIT, &e);
	__builtin_trap();
}

_Noreturn void ul_kvm_start(const struct ul_kvm_boot_info *bi)
{
	static const char bad_abi[] =
		"kvm guest: the monitor speaks another ABI version; rebuild the "
		"image and unilab-kvm from the same tree\n";
	static const char bad_tsc[] = "kvm guest: boot info has no TSC rate\n";
	static const char no_rings[] =
		"kvm guest: cannot set up the network rings (too little memory?)\n";
	static struct ul_boot_info info;

	if (bi->abi_version != UL_KVM_ABI_VERSION)
		refuse(bad_abi, sizeof(bad_abi) - 1);
	if (bi->tsc_khz == 0)
		refuse(bad_tsc, sizeof(bad_tsc) - 1);
	ul_kvm_boot_info = bi;
	ul_kvm_idt_init();
	ul_kvm_clock_init();
	uint64_t heap_start = bi->heap_start;
	if (ul_kvm_net_init(&heap_start, bi->heap_end) < 0)
		refuse(no_rings, sizeof(no_rings) - 1);

	info.backend = "kvm";
	info.app = (const char *)(uintptr_t)bi->app;
	info.heap_base = (void *)(uintptr_t)heap_start;
	info.heap_size = bi->heap_end - heap_start;
	info.cmdline = (const char *)(uintptr_t)bi->cmdline;
	info.net_count = bi->net_count;
	info.block_count = bi->block_count;
	info.before_main = ul_kvm_trace_main;
	ul_boot(&info);
}
