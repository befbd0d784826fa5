/* kvm guest: the IDT, and what an exception becomes. The entry stubs are
 * the x86_64 ones every guest backend shares (x86_64/exception_stubs.S).
 * A debug exception (#DB, #BP) goes to the monitor's debugger, which may
 * change the frame, and the interrupted code resumes from it; any other is
 * an abort call that hands the frame to the monitor, which prints a crash
 * report with symbols and exits with UL_KVM_EXIT_CRASH. */
#include <stddef.h>

#include "exception_gate.h"
#include "guest.h"
#include "x86_64/cpu.h"
#include "x86_64/exception.h"
#include "x86_64/io.h"

/* The debug call's argument is the stubs' frame itself. */
_Static_assert(sizeof(struct x86_exception_frame) ==
                       sizeof(struct ul_kvm_debug) &&
               offsetof(struct x86_exception_frame, vector) ==
                       offsetof(struct ul_kvm_debug, vector) &&
               offsetof(struct x86_exception_frame, rip) ==
                       offsetof(struct ul_kvm_debug, rip),
               "x86_exception_frame must be struct ul_kvm_debug's layout");

/* The monitor points IDTR at the IDT page; user mode cannot run LIDT but
 * may fill in the gates. Each runs its handler at CPL 0 on IST1. */
void ul_kvm_idt_init(void)
{
	struct x86_idt_gate *idt = (struct x86_idt_gate *)(uintptr_t)UL_KVM_IDT;

	for (unsigned v = 0; v < UL_KVM_IDT_GATES; v++)
		idt[v] = ul_kvm_exception_gate(
			(uintptr_t)ul_x86_exception_stubs, v);
}

/* For #DB the debugger wants DR6 (in the error-code slot, which the CPU
 * leaves empty for #DB and #BP); its bits are sticky, so clear them. */
static void debug_exception(struct x86_exception_frame *f)
{
	if (f->vector == X86_EXC_DB) {
		uint64_t dr6;
		__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
		f->error_code = dr6;
		__asm__ volatile("mov %0, %%dr6" : : "r"(X86_DR6_CLEAR));
	}
	ul_kvm_hypercall(UL_KVM_HC_DEBUG, f);
}

static _Noreturn void crash(const struct x86_exception_frame *f)
{
	static int depth;
	struct ul_kvm_abort a = {
		.vector = f->vector, .error_code = f->error_code,
		.rip = f->rip, .cs = f->cs, .rflags = f->rflags,
		.rsp = f->rsp, .ss = f->ss, .cr2 = x86_read_cr2(),
		.rax = f->rax, .rbx = f->rbx, .rcx = f->rcx, .rdx = f->rdx,
		.rsi = f->rsi, .rdi = f->rdi, .rbp = f->rbp,
		.r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11,
		.r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15,
	};

	/* A fault while reporting a fault: report the new one without the
	 * console; a third means even that fails, so stop the vCPU (the
	 * monitor reports a halted guest) rather than loop. */
	depth++;
	if (depth == 1)
		ul_kvm_console_flush();
	if (depth <= 2)
		ul_kvm_hypercall(UL_KVM_HC_ABORT, &a);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void ul_x86_exception(struct x86_exception_frame *f)
{
	if (f->vector == X86_EXC_DB || f->vector == X86_EXC_BP)
		debug_exception(f);
	else
		crash(f);
}
