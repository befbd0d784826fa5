/* xen guest: the entry stubs of the 32 exception vectors, and the failsafe
 * callback. For a PV guest Xen delivers an exception on the current stack
 * as the frame { RCX, R11, [error code,] RIP, CS, RFLAGS, RSP, SS }. Each
 * stub is 16 bytes long (stub v is at ul_xen_trap_stubs + 16 * v): it takes
 * back RCX and R11, evens out the frame with a 0 where there is no error
 * code, pushes its vector and joins the common path, which saves the
 * registers as a struct x86_exception_frame (x86_64/exception.h) and calls
 * ul_xen_trap() in C. */

#include "x86_64/frame_regs.h"

	.section .text
	.align 16
	.globl ul_xen_trap_stubs
ul_xen_trap_stubs:
	vector = 0
	.rept 32
	.align 16
	popq %rcx
	popq %r11
	.if HAS_ERROR_CODE(vector) == 0
	pushq $0
	.endif
	pushq $vector
	jmp trap_common
	vector = vector + 1
	.endr

trap_common:
	push_frame_registers
	movq %rsp, %rdi
	andq $-16, %rsp /* the SysV ABI's alignment at a call */
	cld
	call ul_xen_trap
	ud2 /* ul_xen_trap never returns */

	/* Xen could not load the segment state of a return to us; the frame
	 * is { RCX, R11, DS, ES, FS, GS, RIP, CS, RFLAGS, RSP, SS }. */
	.globl ul_xen_failsafe_callback
	.type ul_xen_failsafe_callback, @function
ul_xen_failsafe_callback:
	movq %rsp, %rdi
	andq $-16, %rsp
	call ul_xen_failsafe
	ud2
	.size ul_xen_failsafe_callback, . - ul_xen_failsafe_callback

	.section .note.GNU-stack, "", @progbits
