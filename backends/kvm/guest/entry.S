/* kvm guest: the ELF entry point. The monitor starts us in long mode with
 * a stack, interrupts off, rdi = boot info (see abi.h); all that is left is
 * to call C with the stack aligned as the SysV ABI wants. */
	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	/* rsp is 16-byte aligned; the call's return address makes it look
	 * like any other function entry. */
	call ul_kvm_start
	ud2 /* ul_kvm_start never returns */
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
