/* kvm guest: the IDT, and what an exception becomes. The entry stubs are
 * the x86_64 ones every guest backend shares (x86_64/exception_stubs.S).
 * A debug exception (#DB, #BP) goes to the monitor's debugger, which may
 * change the frame, and the interrupted code resumes from it; any other is
 * an abort call that hands the frame to the monitor, which prints a crash
 * report with symbols and exits with UL_KVM_EXIT_CRASH. */
#include <stddef.h>

#include "guest.h"
#include "x86_64/cpu.h"
#include "x86_64/exception.h"

#define IST_EXCEPTION_STACK 1 /* the TSS slot the monitor filled */
#define DR6_CLEAR 0xffff0ff0u /* DR6 with no status bit set */

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

	for (unsigned v = 0; v < UL_KVM_IDT_GATES; v++) {
		uint64_t a = (uintptr_t)ul_x86_exception_stubs +
		             X86_EXCEPTION_STUB_SIZE * v;
		idt[v] = (struct x86_idt_gate){
			.offset_lo = (uint16_t)a,
			.selector = UL_KVM_SEL_KERNEL_CODE,
			.ist = IST_EXCEPTION_STACK,
			/* int3 from user mode is a breakpoint, not a #GP */
			.type_attr = v == X86_EXC_BP ? X86_GATE_INTR_USER
			                             : X86_GATE_INTR,
			.offset_mid = (uint16_t)(a >> 16),
			.offset_hi = (uint32_t)(a >> 32),
		};
	}
}

static uint64_t read_cr2(void)
{
	uint64_t cr2;
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	return cr2;
}

/* For #DB the debugger wants DR6 (in the error-code slot, which the CPU
 * leaves empty for #DB and #BP); its bits are sticky, so clear them. */
static void debug_exception(struct x86_exception_frame *f)
{
	if (f->vector == X86_EXC_DB) {
		uint64_t dr6;
		__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
		f->error_code = dr6;
		__asm__ volatile("mov %0, %%dr6" : : "r"((uint64_t)DR6_CLEAR));
	}
	ul_kvm_hypercall(UL_KVM_HC_DEBUG, f);
}

static _Noreturn void crash(const struct x86_exception_frame *f)
{
	static int depth;
	struct ul_kvm_abort a = {
		.vector = f->vector, .error_code = f->error_code,
		.rip = f->rip, .cs = f->cs, .rflags = f->rflags,
		.rsp = f->rsp, .ss = f->ss, .cr2 = read_cr2(),
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
