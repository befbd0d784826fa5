/* baremetal: what a CPU exception becomes: a stop for gdb when it is
 * attached (gdb.c), else a crash report on the console (the words are
 * those of every x86_64 backend, x86_64/exception.c) and the exit status
 * UL_EXIT_CRASH. The image has no symbol table of its own,
 * so the report says how to name an address with addr2line. */
#include <unilab/panic.h>

#include "bm.h"
#include "platform.h"
#include "x86_64/cpu.h"
#include "x86_64/exception.h"
#include "x86_64/io.h"

#define STACK_WORDS 8
#define MAPPED_END (4ull << 30)

/* The words at rsp, if rsp points into mapped memory at all: a wild rsp,
 * a usual cause of crashes, must not fault again here. */
static void print_stack(uint64_t rsp)
{
	ul_printf("  stack at rsp 0x%llx:\n", (unsigned long long)rsp);
	if (rsp < X86_PAGE_SIZE || rsp % 8 != 0 ||
	    rsp > MAPPED_END - 8 * STACK_WORDS) {
		ul_printf("    (not in mapped memory)\n");
		return;
	}
	for (unsigned i = 0; i < STACK_WORDS; i++)
		ul_printf("    [rsp+0x%02x] 0x%llx\n", 8 * i,
		          (unsigned long long)((const uint64_t *)(uintptr_t)rsp)[i]);
}

void ul_x86_exception(struct x86_exception_frame *f)
{
	static int depth;
	uint64_t cr2 = x86_read_cr2();

	if (depth == 0 && ul_bm_gdb_exception(f))
		return;
	/* A fault while reporting a fault: say so briefly; a third means
	 * even that fails (or exiting does), so just stop. */
	if (++depth > 2)
		for (;;)
			__asm__ volatile("cli; hlt");
	if (depth == 2) {
		ul_printf("baremetal: %s at rip 0x%llx while reporting a crash\n",
		          ul_x86_exception_name(f->vector),
		          (unsigned long long)f->rip);
		ul_plat_exit(UL_EXIT_CRASH);
	}
	ul_printf("baremetal: crashed: %s, vector %llu, error code 0x%llx\n"
	          "  at rip 0x%llx (addr2line -f -e IMAGE 0x%llx names it)\n",
	          ul_x86_exception_name(f->vector), (unsigned long long)f->vector,
	          (unsigned long long)f->error_code, (unsigned long long)f->rip,
	          (unsigned long long)f->rip);
	if (f->vector == X86_EXC_PF)
		ul_printf("  %s address 0x%llx (%s)%s\n",
		          ul_x86_page_fault_access(f->error_code),
		          (unsigned long long)cr2,
		          ul_x86_page_fault_reason(f->error_code),
		          cr2 < X86_PAGE_SIZE ? ": a NULL pointer" : "");
	ul_x86_print_registers(f);
	print_stack(f->rsp);
	ul_plat_exit(UL_EXIT_CRASH);
}
