/* xen guest: the trap table, and what an exception becomes: a crash report
 * on the console (vector, rip, error code, cr2, the registers) and the end
 * of the image with UL_EXIT_CRASH. Xen puts the faulting address of a
 * page fault in the vCPU's shared info, where a PV guest reads it without
 * the trap that reading CR2 would be. */
#include <unilab/console.h>
#include <unilab/panic.h>

#include "guest.h"
#include "hypercall.h"
#include "platform.h"
#include "x86_64/cpu.h"
#include "x86_64/exception.h"

/* traps.S: 16-byte stubs that leave a struct x86_exception_frame. */
#define STUB_SIZE 16
extern const char ul_xen_trap_stubs[];
_Noreturn void ul_xen_trap(const struct x86_exception_frame *f);
_Noreturn void ul_xen_failsafe(const uint64_t *frame);

void ul_xen_traps_init(void)
{
	static struct xen_trap_info table[X86_EXC_COUNT + 1]; /* + the end */

	for (unsigned v = 0; v < X86_EXC_COUNT; v++)
		table[v] = (struct xen_trap_info){
			.vector = (uint8_t)v,
			/* int3 may be executed on purpose (a breakpoint):
			 * let the guest kernel raise it. */
			.flags = XEN_TRAP_MASK_EVENTS | (v == X86_EXC_BP ? 3 : 0),
			.cs = XEN_KERNEL_CS,
			.address = (uintptr_t)ul_xen_trap_stubs + STUB_SIZE * v,
		};
	if (xen_set_trap_table(table) < 0)
		ul_xen_fatal("set_trap_table failed");
}

/* What a page fault's address and error code say, in words. */
static void explain_page_fault(uint64_t cr2, uint64_t err)
{
	ul_printf("  %s address 0x%llx (%s)%s\n", ul_x86_page_fault_access(err),
	          (unsigned long long)cr2, ul_x86_page_fault_reason(err),
	          cr2 < XEN_PAGE_SIZE ? ": a NULL pointer" : "");
}

_Noreturn void ul_xen_trap(const struct x86_exception_frame *f)
{
	static int depth;
	uint64_t cr2 = ul_xen_shared->vcpu_info[0].cr2;

	/* A fault while reporting one: end with the status line alone; a
	 * third means even that fails, so just end. */
	if (++depth == 2)
		ul_xen_shutdown(UL_EXIT_CRASH);
	if (depth > 2) {
		struct xen_sched_shutdown s = {.reason = XEN_SHUTDOWN_CRASH};
		for (;;)
			xen_sched_op(XEN_SCHEDOP_SHUTDOWN, &s);
	}
	ul_printf("xen: guest crashed: %s, vector %llu, error code 0x%llx\n"
	          "  at rip 0x%llx, cr2 0x%llx\n",
	          ul_x86_exception_name(f->vector),
	          (unsigned long long)f->vector,
	          (unsigned long long)f->error_code, (unsigned long long)f->rip,
	          (unsigned long long)cr2);
	if (f->vector == X86_EXC_PF)
		explain_page_fault(cr2, f->error_code);
	ul_x86_print_registers(f);
	ul_plat_exit(UL_EXIT_CRASH);
}

_Noreturn void ul_xen_failsafe(const uint64_t *frame)
{
	ul_printf("xen: guest crashed: Xen could not return to it at rip 0x%llx "
	          "(bad segment state)\n", (unsigned long long)frame[6]);
	ul_plat_exit(UL_EXIT_CRASH);
}
