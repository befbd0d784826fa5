/* xen guest: the entry point, the boot stack and the hypercall page. Xen
 * starts us in 64-bit mode with RSI = start_info and RSP on a one-page
 * bootstrap stack; we move to our own stack, which is big enough for the
 * core, and call C. */
#include "abi.h"

#define STACK_SIZE (128 * 1024)

	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	movq %rsi, %rdi         /* start_info */
	movq %rsp, %rsi         /* the bootstrap stack's top: see memory.c */
	leaq stack_top(%rip), %rsp
	call ul_xen_start
	ud2                     /* ul_xen_start never returns */
	.size _start, . - _start

	/* Xen writes one 32-byte stub per hypercall here while it builds the
	 * domain: hypercall n is a call to ul_xen_hypercall_page + 32 * n.
	 * int3 until then, so a call before Xen filled it would trap. */
	.balign XEN_PAGE_SIZE
	.globl ul_xen_hypercall_page
	.type ul_xen_hypercall_page, @object
ul_xen_hypercall_page:
	.fill XEN_PAGE_SIZE, 1, 0xcc
	.size ul_xen_hypercall_page, XEN_PAGE_SIZE

	.section .bss
	.balign 16
stack:
	.skip STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
