/* kvm guest: the entry stubs of the 32 CPU exceptions. Each is 16 bytes
 * long (so stub i is at ul_kvm_exception_stubs + 16 * i), evens out the
 * frame with a 0 where the CPU pushes no error code, pushes its vector and
 * joins the common path, which saves the registers and calls
 * ul_kvm_exception() in C. The gates use IST1, so the frame is on the
 * exception stack even when the fault was a stack overflow. The debug
 * exceptions take a short way instead: the frame goes to the monitor's
 * debugger as it is, and the interrupted code resumes from it. */

/* Vectors for which the CPU pushes an error code (SDM 6.13). */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
                           (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

#define VECTOR_DB 1
#define VECTOR_BP 3
/* struct exception_frame (idt.c), which is struct ul_kvm_debug (abi.h) */
#define FRAME_VECTOR 120
#define FRAME_DR6 128 /* the error-code slot, 0 for #DB and #BP */
#define DR6_CLEAR 0xffff0ff0

	.section .text
	.align 16
	.globl ul_kvm_exception_stubs
ul_kvm_exception_stubs:
	vector = 0
	.rept 32
	.align 16
	.if HAS_ERROR_CODE(vector) == 0
	pushq $0
	.endif
	pushq $vector
	jmp exception_common
	vector = vector + 1
	.endr

exception_common:
	/* The order makes the stack a struct exception_frame (idt.c). */
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
	cmpq $VECTOR_DB, FRAME_VECTOR(%rsp)
	je debug_exception
	cmpq $VECTOR_BP, FRAME_VECTOR(%rsp)
	je debug_exception
	movq %rsp, %rdi
	andq $-16, %rsp /* the SysV ABI's alignment at a call */
	cld
	call ul_kvm_exception
	ud2 /* ul_kvm_exception never returns */

/* The debug call (abi.h, UL_KVM_HC_DEBUG): its argument is this frame, in
 * which the debugger may change registers before the call returns. For
 * #DB the frame carries DR6, whose bits are sticky and are cleared here
 * (movl: DR6's upper half must stay 0). */
debug_exception:
	cmpq $VECTOR_DB, FRAME_VECTOR(%rsp)
	jne 1f
	movq %dr6, %rax
	movq %rax, FRAME_DR6(%rsp)
	movl $DR6_CLEAR, %eax
	movq %rax, %dr6
1:	movq %rsp, %rax
	movzwl ul_kvm_debug_port(%rip), %edx
	outl %eax, %dx
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
	addq $16, %rsp /* the vector and the error-code slot */
	iretq

	.section .note.GNU-stack, "", @progbits
