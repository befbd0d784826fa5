/* baremetal: the entry stubs of interrupt vectors 32..255, 16 bytes each
 * (stub for vector v at ul_bm_irq_stubs + 16 * (v - 32)). Each pushes its
 * vector and joins the common path, which saves the registers a C function
 * may clobber, calls ul_bm_irq(vector, the CPU's frame: rip, cs, rflags,
 * rsp, ss) and returns to the interrupted code.
 * Handlers are C compiled with -mgeneral-regs-only: no vector or x87
 * state to save. */
	.section .text
	.align 16
	.globl ul_bm_irq_stubs
ul_bm_irq_stubs:
	vector = 32
	.rept 256 - 32
	.align 16
	pushq $vector
	jmp irq_common
	vector = vector + 1
	.endr

irq_common:
	/* The CPU pushed 5 words onto a 16-byte-aligned stack and the stub
	 * one: with these 9 the stack is 8 bytes off the alignment a call
	 * wants. */
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	movq 72(%rsp), %rdi /* the vector */
	leaq 80(%rsp), %rsi /* what the CPU pushed */
	subq $8, %rsp
	cld
	call ul_bm_irq
	addq $8, %rsp
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	addq $8, %rsp /* the vector */
	iretq

	.section .note.GNU-stack, "", @progbits
