/* x86_64: crash reports in words, for every x86_64 backend. The names are
 * the SDM's (vol. 3, table 6-1); the page-fault error code bits are in
 * SDM 4.7. */
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
