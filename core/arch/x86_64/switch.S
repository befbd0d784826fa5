/* x86_64 context switch for the core's cooperative threads, and the first
 * entry of a new thread. Position-independent: no absolute relocations. */

/* Unwind tables go to .debug_frame only: gdb reads them, and a guest image
 * needs no .eh_frame at run time. */
	.cfi_sections .debug_frame
	.text

/* void ul_arch_switch(void **save_sp, void *next_sp)
 *
 * The SysV ABI lets a callee clobber every register but rbx, rbp, r12-r15
 * and rsp, so those are all a switch must keep; the caller has already
 * saved anything else it needs. The frame left on the old stack is
 * r15 r14 r13 r12 rbx rbp and the return address, lowest first; the CFI
 * below describes it so gdb can unwind a thread stopped inside. */
	.globl ul_arch_switch
	.type ul_arch_switch, @function
	.p2align 4
ul_arch_switch:
	.cfi_startproc
	pushq %rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset %rbp, 0
	pushq %rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset %rbx, 0
	pushq %r12
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset %r12, 0
	pushq %r13
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset %r13, 0
	pushq %r14
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset %r14, 0
	pushq %r15
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset %r15, 0

	movq %rsp, (%rdi)
	movq %rsi, %rsp

	/* Now on the next thread's stack, whose frame has the same shape. */
	popq %r15
	.cfi_adjust_cfa_offset -8
	.cfi_restore %r15
	popq %r14
	.cfi_adjust_cfa_offset -8
	.cfi_restore %r14
	popq %r13
	.cfi_adjust_cfa_offset -8
	.cfi_restore %r13
	popq %r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore %r12
	popq %rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore %rbx
	popq %rbp
	.cfi_adjust_cfa_offset -8
	.cfi_restore %rbp
	ret
	.cfi_endproc
	.size ul_arch_switch, . - ul_arch_switch

/* void *ul_arch_context_init(void *stack_top, void (*entry)(void *),
 *                            void *arg)
 *
 * Lay out below stack_top the frame ul_arch_switch pops, so that its ret
 * lands in thread_entry with entry in rbx and arg in r12. The return
 * address sits 24 bytes below the 16-byte aligned top: after the ret, rsp
 * is 16-byte aligned again, as the ABI wants before a call. The two words
 * above it stay zero, and so does the saved rbp, which ends the
 * frame-pointer chain for anything walking the stack. */
	.globl ul_arch_context_init
	.type ul_arch_context_init, @function
	.p2align 4
ul_arch_context_init:
	.cfi_startproc
	andq $-16, %rdi
	leaq thread_entry(%rip), %rax
	movq $0, -8(%rdi)
	movq $0, -16(%rdi)
	movq %rax, -24(%rdi)	/* return address */
	movq $0, -32(%rdi)	/* rbp */
	movq %rsi, -40(%rdi)	/* rbx */
	movq %rdx, -48(%rdi)	/* r12 */
	movq $0, -56(%rdi)	/* r13 */
	movq $0, -64(%rdi)	/* r14 */
	movq $0, -72(%rdi)	/* r15 */
	leaq -72(%rdi), %rax
	ret
	.cfi_endproc
	.size ul_arch_context_init, . - ul_arch_context_init

/* A new thread's first instructions. The return address is marked
 * undefined so unwinders stop here: this is the bottom of the thread. The
 * context enters at thread_entry, past a nop, because an unwinder looks
 * up the code before a return address: that must be in here too. */
	.type thread_start, @function
	.p2align 4
thread_start:
	.cfi_startproc
	.cfi_undefined %rip
	nop
thread_entry:
	movq %r12, %rdi
	call *%rbx
	ud2			/* entry must not return */
	.cfi_endproc
	.size thread_start, . - thread_start

	.section .note.GNU-stack,"",@progbits
