/* xen guest: the ELF notes that make the image a Xen PV kernel. Xen's
 * loader reads them from the PT_NOTE segment (guest.ld) to learn where the
 * image goes, where it starts, where the hypercall page is, and that it
 * can run as the initial domain. Each note is the ELF note layout: name
 * size, descriptor size, type, the name "Xen", the descriptor, each part
 * padded to 4 bytes. */
#include "abi.h"

/* kind is a data directive (.long, .quad) or "string": the assembler
 * drops the quotes around a macro argument, so a string note puts them
 * back around its (blank-free) text. */
.macro xen_note type, kind, value
	.balign 4
	.long 4, 2f - 1f, \type
	.asciz "Xen"
	.balign 4
1:
	.ifc \kind, string
	.asciz "\value"
	.else
	\kind \value
	.endif
2:	.balign 4
.endm

	.section .note.Xen, "a", @note
	xen_note XEN_ELFNOTE_GUEST_OS, string, Unilab
	/* The only version string Xen accepts: the PV ABI of Xen 3.0 on. */
	xen_note XEN_ELFNOTE_XEN_VERSION, string, xen-3.0
	/* Not a Linux kernel: load it by the notes, with no Linux quirks. */
	xen_note XEN_ELFNOTE_LOADER, string, generic
	/* ul_xen_virt_base is where guest.ld puts the image. */
	xen_note XEN_ELFNOTE_VIRT_BASE, .quad, ul_xen_virt_base
	/* p_paddr equals p_vaddr in our ELF file, so the offset from the
	 * ELF's physical addresses to virtual ones is the base. */
	xen_note XEN_ELFNOTE_PADDR_OFFSET, .quad, ul_xen_virt_base
	xen_note XEN_ELFNOTE_ENTRY, .quad, _start
	xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad, ul_xen_hypercall_page
	/* dom0-capable, by name for old Xens and as the bitmap Xen 4.2+
	 * checks before it starts a kernel as the initial domain. */
	xen_note XEN_ELFNOTE_FEATURES, string, dom0
	xen_note XEN_ELFNOTE_SUPPORTED_FEATURES, .long, (1 << XEN_FEATURE_DOM0)

	.section .note.GNU-stack, "", @progbits
