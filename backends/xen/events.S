/* xen guest: the event callback. Xen enters it only while SCHEDOP_block
 * has events unmasked (events.c), right after the block, on our stack with
 * the frame { RCX, R11, RIP, CS, RFLAGS, RSP, SS } and the event mask set.
 * We do no work here: we clear IF in the saved RFLAGS, which the iret
 * hypercall turns back into "events masked", and return. The pending bits
 * stay for the code that blocked to look at. */
#include "abi.h"

#define RFLAGS_SLOT 16 /* RFLAGS in the frame once RCX and R11 are off it */

	.section .text
	.globl ul_xen_event_callback
	.type ul_xen_event_callback, @function
ul_xen_event_callback:
	popq %rcx
	popq %r11
	andq $~XEN_RFLAGS_IF, RFLAGS_SLOT(%rsp)
	/* The iret hypercall is jumped to with its flags word (0: not
	 * returning from a SYSCALL) on top of the frame; its stub pushes
	 * RCX, R11 and RAX itself and restores everything. */
	pushq $0
	jmp ul_xen_hypercall_page + XEN_HC_IRET * XEN_HYPERCALL_STUB_SIZE
	.size ul_xen_event_callback, . - ul_xen_event_callback

	.section .note.GNU-stack, "", @progbits
