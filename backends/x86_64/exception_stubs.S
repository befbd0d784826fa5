/* x86_64: the entry stubs of the 32 CPU exceptions. Each is
 * X86_EXCEPTION_STUB_SIZE (16) bytes long, evens out the frame with a 0
 * where the CPU pushes no error code, pushes its vector and joins the
 * common path, which saves the registers as a struct x86_exception_frame
 * (exception.h) and calls ul_x86_exception() in C. When that returns (a
 * debugger's breakpoint or step), the machine resumes from the frame, as
 * the handler may have changed it. */

#include "x86_64/frame_regs.h"

	.section .text
	.align 16
	.globl ul_x86_exception_stubs
ul_x86_exception_stubs:
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
	push_frame_registers
	movq %rsp, %rdi
	movq %rsp, %rbx /* callee-saved: the frame, to resume from */
	andq $-16, %rsp /* the SysV ABI's alignment at a call */
	cld
	call ul_x86_exception
	movq %rbx, %rsp
	pop_frame_registers
	addq $16, %rsp /* the vector and the error code */
	iretq

	.section .note.GNU-stack, "", @progbits
