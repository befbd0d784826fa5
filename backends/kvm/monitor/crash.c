/* unilab-kvm: the crash report for a CPU exception the guest caught and
 * passed on with the abort call: what happened, where (with symbols from
 * the image), the registers and the top of the stack. */
#include <elf.h>
#include <stdio.h>

#include "monitor.h"
#include "x86_64/cpu.h"

#define STACK_WORDS 8

static const char *const exception_names[X86_EXC_COUNT] = {
	"divide error (#DE)", "debug (#DB)", "NMI", "breakpoint (#BP)",
	"overflow (#OF)", "bound range exceeded (#BR)",
	"invalid opcode (#UD)", "device not available (#NM)",
	"double fault (#DF)", "coprocessor segment overrun",
	"invalid TSS (#TS)", "segment not present (#NP)",
	"stack-segment fault (#SS)", "general protection fault (#GP)",
	"page fault (#PF)", "reserved vector 15", "x87 floating-point error (#MF)",
	"alignment check (#AC)", "machine check (#MC)",
	"SIMD floating-point error (#XM)", "virtualization exception (#VE)",
	"control protection (#CP)",
};

static bool in_code(const struct image *img, uint64_t addr)
{
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct segment *s = &img->seg[i];
		if ((s->flags & PF_X) && addr >= s->addr &&
		    addr - s->addr < s->memsz)
			return true;
	}
	return false;
}

/* "0x21034 <ul_main+0x14>", or just the number outside the image's code. */
static void print_addr(const struct vm *vm, uint64_t addr)
{
	char sym[96];

	fprintf(stderr, "0x%llx", (unsigned long long)addr);
	if (!in_code(&vm->image, addr))
		return;
	image_symbolize(&vm->image, addr, sym, sizeof(sym));
	if (sym[0])
		fprintf(stderr, " <%s>", sym);
}

/* What a page fault's address and error code say, in words. */
static void explain_page_fault(uint64_t cr2, uint64_t err)
{
	fprintf(stderr, "  %s address 0x%llx (%s)",
	        err & X86_PF_FETCH ? "executing at"
	        : err & X86_PF_WRITE ? "writing to" : "reading from",
	        (unsigned long long)cr2,
	        err & X86_PF_RSVD      ? "reserved bit set in a page-table entry"
	        : err & X86_PF_PRESENT ? "the page does not allow it"
	                               : "no page is mapped there");
	if (cr2 < UL_KVM_PAGE)
		fputs(": a NULL pointer", stderr);
	else if (cr2 >= UL_KVM_STACK - UL_KVM_PAGE && cr2 < UL_KVM_STACK)
		fputs(": the guard page below the stack, a stack overflow", stderr);
	fputc('\n', stderr);
}

/* The words at the interrupted rsp, read through the guest-pointer check:
 * a bad rsp (the usual reason for a crash) just shows fewer words. */
static void print_stack(const struct vm *vm, uint64_t rsp)
{
	fprintf(stderr, "  stack at rsp 0x%llx:\n", (unsigned long long)rsp);
	for (unsigned i = 0; i < STACK_WORDS; i++) {
		const uint64_t *w = rsp + 8 * i < rsp
		                            ? NULL
		                            : guest_ptr(&vm->mem, rsp + 8 * i, 8, 8);
		if (w == NULL) {
			fputs("    (not in guest memory)\n", stderr);
			return;
		}
		fprintf(stderr, "    [rsp+0x%02x] ", 8 * i);
		print_addr(vm, *w);
		fputc('\n', stderr);
	}
}

static void print_registers(const struct ul_kvm_abort *a)
{
	const struct {
		const char *name;
		uint64_t value;
	} regs[] = {
		{"rax", a->rax}, {"rbx", a->rbx}, {"rcx", a->rcx}, {"rdx", a->rdx},
		{"rsi", a->rsi}, {"rdi", a->rdi}, {"rbp", a->rbp}, {"rsp", a->rsp},
		{"r8", a->r8},   {"r9", a->r9},   {"r10", a->r10}, {"r11", a->r11},
		{"r12", a->r12}, {"r13", a->r13}, {"r14", a->r14}, {"r15", a->r15},
	};
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		fprintf(stderr, "  %-3s %016llx%s", regs[i].name,
		        (unsigned long long)regs[i].value, i % 4 == 3 ? "\n" : "");
	fprintf(stderr, "  rflags %016llx  cs %04llx  ss %04llx\n",
	        (unsigned long long)a->rflags, (unsigned long long)a->cs,
	        (unsigned long long)a->ss);
}

void hc_abort(struct vm *vm, uint64_t gpa)
{
	const struct ul_kvm_abort *a =
		hypercall_arg(vm, UL_KVM_HC_ABORT, gpa, sizeof(*a));

	if (a->vector < X86_EXC_COUNT)
		gdb_crash(vm, a); /* gdb, if attached, sees the crash first */
	crash_report(vm, a);
}

_Noreturn void crash_report(const struct vm *vm, const struct ul_kvm_abort *a)
{
	fflush(stdout);
	if (a->vector >= X86_EXC_COUNT)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad abort hypercall: vector %llu is not a CPU exception",
		      (unsigned long long)a->vector);
	core_note_crash(a);
	fprintf(stderr, MONITOR_NAME ": guest crashed: %s, vector %llu, "
	                "error code 0x%llx\n  at rip ",
	        exception_names[a->vector] ? exception_names[a->vector]
	                                   : "reserved exception",
	        (unsigned long long)a->vector,
	        (unsigned long long)a->error_code);
	print_addr(vm, a->rip);
	fputc('\n', stderr);
	if (a->vector == X86_EXC_PF)
		explain_page_fault(a->cr2, a->error_code);
	print_registers(a);
	print_stack(vm, a->rsp);
	monitor_exit(UL_KVM_EXIT_CRASH);
}
