/* x86_64: crash reports in words, for every x86_64 backend. The names are
 * the SDM's (vol. 3, table 6-1); the page-fault error code bits are in
 * SDM 4.7. */
#include <unilab/console.h>

#include "x86_64/cpu.h"
#include "x86_64/exception.h"

static const char *const names[X86_EXC_COUNT] = {
	"divide error (#DE)", "debug (#DB)", "NMI", "breakpoint (#BP)",
	"overflow (#OF)", "bound range exceeded (#BR)",
	"invalid opcode (#UD)", "device not available (#NM)",
	"double fault (#DF)", "coprocessor segment overrun",
	"invalid TSS (#TS)", "segment not present (#NP)",
	"stack-segment fault (#SS)", "general protection fault (#GP)",
	"page fault (#PF)", "reserved vector 15",
	"x87 floating-point error (#MF)", "alignment check (#AC)",
	"machine check (#MC)", "SIMD floating-point error (#XM)",
	"virtualization exception (#VE)", "control protection (#CP)",
};

const char *ul_x86_exception_name(uint64_t vector)
{
	if (vector < X86_EXC_COUNT && names[vector])
		return names[vector];
	return "reserved exception";
}

const char *ul_x86_page_fault_access(uint64_t error_code)
{
	if (error_code & X86_PF_FETCH)
		return "executing at";
	return error_code & X86_PF_WRITE ? "writing to" : "reading from";
}

const char *ul_x86_page_fault_reason(uint64_t error_code)
{
	if (error_code & X86_PF_RSVD)
		return "reserved bit set in a page-table entry";
	if (error_code & X86_PF_PRESENT)
		return "the page does not allow it";
	return "no page is mapped there";
}

void ul_x86_print_registers(const struct x86_exception_frame *f)
{
	const struct {
		const char *name;
		uint64_t value;
	} regs[] = {
		{"rax", f->rax}, {"rbx", f->rbx}, {"rcx", f->rcx}, {"rdx", f->rdx},
		{"rsi", f->rsi}, {"rdi", f->rdi}, {"rbp", f->rbp}, {"rsp", f->rsp},
		{"r8", f->r8},   {"r9", f->r9},   {"r10", f->r10}, {"r11", f->r11},
		{"r12", f->r12}, {"r13", f->r13}, {"r14", f->r14}, {"r15", f->r15},
	};
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		ul_printf("  %-3s %016llx%s", regs[i].name,
		          (unsigned long long)regs[i].value, i % 4 == 3 ? "\n" : "");
	/* Only cs's low 16 bits are the selector: Xen keeps its event mask
	 * above bit 32 of the saved cs. */
	ul_printf("  rflags %016llx  cs %04llx  ss %04llx\n",
	          (unsigned long long)f->rflags,
	          (unsigned long long)(f->cs & 0xffff),
	          (unsigned long long)f->ss);
}
