/* kvm guest: the IDT, and what an exception becomes: an abort call that
 * hands the CPU's frame and the registers to the monitor, which prints a
 * crash report with symbols and exits with UL_KVM_EXIT_CRASH. Debug
 * exceptions (#DB, #BP) never get here: exceptions.S hands them to the
 * monitor's debugger and resumes. */
#include <stddef.h>

#include "guest.h"
#include "x86_64/cpu.h"

#define STUB_SIZE 16
#define IST_EXCEPTION_STACK 1 /* the TSS slot the monitor filled */

/* What exceptions.S leaves on the stack, lowest address first. */
struct exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* exceptions.S passes the frame itself as a debug call's argument, and
 * knows where the vector and the error code are (FRAME_VECTOR, FRAME_DR6). */
_Static_assert(sizeof(struct exception_frame) == sizeof(struct ul_kvm_debug) &&
               offsetof(struct exception_frame, vector) ==
                       offsetof(struct ul_kvm_debug, vector) &&
               offsetof(struct exception_frame, rip) ==
                       offsetof(struct ul_kvm_debug, rip) &&
               offsetof(struct exception_frame, vector) == 120 &&
               offsetof(struct exception_frame, error_code) == 128,
               "exception_frame must be struct ul_kvm_debug's layout");
/* For exceptions.S, which cannot include abi.h. */
const uint16_t ul_kvm_debug_port = UL_KVM_HC_PORT(UL_KVM_HC_DEBUG);

extern const char ul_kvm_exception_stubs[];
_Noreturn void ul_kvm_exception(const struct exception_frame *f);

/* The monitor points IDTR at the IDT page; user mode cannot run LIDT but
 * may fill in the gates. Each runs its handler at CPL 0 on IST1. */
void ul_kvm_idt_init(void)
{
	struct x86_idt_gate *idt = (struct x86_idt_gate *)(uintptr_t)UL_KVM_IDT;

	for (unsigned v = 0; v < UL_KVM_IDT_GATES; v++) {
		uint64_t a = (uintptr_t)ul_kvm_exception_stubs + STUB_SIZE * v;
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

_Noreturn void ul_kvm_exception(const struct exception_frame *f)
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
