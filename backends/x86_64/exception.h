/* x86_64: how a CPU exception reaches C. exception_stubs.S has one entry
 * per exception vector; each leaves a struct x86_exception_frame on the
 * stack and calls ul_x86_exception(), which the backend defines. The names
 * and words of a crash report are here too, so every x86_64 backend
 * describes a crash the same way. */
#ifndef UL_X86_64_EXCEPTION_H
#define UL_X86_64_EXCEPTION_H

#include <stdint.h>

/* What exception_stubs.S leaves on the stack, lowest address first. */
struct x86_exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code; /* error_code 0 where the CPU has none */
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* Stub v (0 <= v < X86_EXC_COUNT) is at ul_x86_exception_stubs +
 * X86_EXCEPTION_STUB_SIZE * v: the address for IDT gate v. */
#define X86_EXCEPTION_STUB_SIZE 16
extern const char ul_x86_exception_stubs[];

/* The backend's handler. It is entered with interrupts off. It returns
 * only for an exception it has dealt with (a debugger's breakpoint or
 * step): the machine then resumes from *f, which it may have changed. */
void ul_x86_exception(struct x86_exception_frame *f);

/* "divide error (#DE)", ..., or "reserved exception". */
const char *ul_x86_exception_name(uint64_t vector);

/* A page fault's error code in words: what the access was ("reading
 * from", "writing to", "executing at") and why it failed ("no page is
 * mapped there", ...). */
const char *ul_x86_page_fault_access(uint64_t error_code);
const char *ul_x86_page_fault_reason(uint64_t error_code);

/* Print the frame's registers on the console, four to a line, as every
 * x86_64 backend's crash report does. */
void ul_x86_print_registers(const struct x86_exception_frame *f);

#endif
