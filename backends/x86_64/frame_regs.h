/* x86_64: what every exception entry (exception_stubs.S, and Xen's
 * traps.S) shares: which vectors carry an error code, and the general
 * registers pushed and popped in the one order that makes the stack a
 * struct x86_exception_frame (exception.h) once the stub has pushed the
 * vector and the error code. Assembler only. */
#ifndef UL_X86_64_FRAME_REGS_H
#define UL_X86_64_FRAME_REGS_H

/* Vectors for which the CPU pushes an error code (SDM 6.13); a stub
 * pushes a 0 for the others, so every frame has the same shape. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
                           (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.macro push_frame_registers
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	.endm

	.macro pop_frame_registers
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	.endm

#endif
