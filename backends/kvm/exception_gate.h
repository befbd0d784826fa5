/* The kvm guest's exception gates, defined once for both sides: the guest
 * fills its IDT with them (guest/idt.c), and the monitor fills in #DB's
 * and #BP's itself when gdb is attached from the first instruction
 * (monitor/gdb.c), before the guest has run a line. */
#ifndef UL_KVM_EXCEPTION_GATE_H
#define UL_KVM_EXCEPTION_GATE_H

#include <stdint.h>

#include "abi.h"
#include "x86_64/cpu.h"
#include "x86_64/exception.h"

/* Gate v runs the v-th x86_64 entry stub (stubs: the guest address of
 * ul_x86_exception_stubs) at CPL 0 on the exception stack. #BP's may be
 * raised from user mode: int3 is a breakpoint there, not a #GP. */
static inline struct x86_idt_gate ul_kvm_exception_gate(uint64_t stubs,
                                                        unsigned v)
{
	return x86_gate(stubs + X86_EXCEPTION_STUB_SIZE * v,
	                UL_KVM_SEL_KERNEL_CODE, UL_KVM_EXC_IST,
	                v == X86_EXC_BP ? X86_GATE_INTR_USER : X86_GATE_INTR);
}

#endif
