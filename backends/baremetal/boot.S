/* baremetal: the way in. One image carries two boot protocols: a multiboot
 * (v1) header for GRUB and other multiboot loaders, and a PVH entry note
 * for QEMU's -kernel and other PVH loaders. Both enter here in 32-bit
 * protected mode with paging off; the common path identity-maps the first
 * 4 GiB, switches to 64-bit long mode and calls ul_bm_start() in C.
 *
 * Where the multiboot header sits matters. The multiboot spec wants it
 * inside the first 8192 bytes of the file, and GRUB looks at every 4-byte
 * boundary up to byte 8180. QEMU's -kernel looks only up to byte 8144 (it
 * expects a 48-byte header) and, when it finds one, boots multiboot even on
 * -M microvm and never looks at the PVH note. Our 32-byte header starts at
 * byte MB_HEADER_OFFSET = 8148 (image.ld puts it there): GRUB boots the
 * image with multiboot and QEMU with PVH, on every machine type. Should a
 * later QEMU search further, it would boot multiboot, which works too. */

#define MB_MAGIC 0x1badb002        /* in the header */
#define MB_BOOT_MAGIC 0x2badb002   /* in eax at the multiboot entry */
/* Flags: bit 1, give us the memory map; bit 16, the load addresses are in
 * the header (the "a.out kludge"): loaders need not parse our ELF64, which
 * multiboot v1 loaders (QEMU's among them) refuse. */
#define MB_FLAGS ((1 << 1) | (1 << 16))
#define XEN_ELFNOTE_PHYS32_ENTRY 18 /* the PVH entry note (Xen's elfnote.h) */

/* Boot protocol tags for ul_bm_boot_protocol (bm.h). */
#define BM_BOOT_MULTIBOOT 1
#define BM_BOOT_PVH 2

/* Boot GDT selectors; descriptors.c's GDT keeps the same two. */
#define SEL_CODE64 0x08
#define SEL_DATA 0x10

/* Page-table entry bits (cpu.h): present, writable, 2 MiB page. */
#define PTE_PW 0x3
#define PTE_PS 0x80
#define CR0_PE_WP_PG 0x80010001
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define CPUID_EXT_LM (1 << 29)
#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_THR_EMPTY 0x20

	.section .note.pvh, "a"
	.p2align 2
	.long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY /* name size, desc size, type */
	.asciz "Xen"
	.long pvh_entry

	.section .multiboot, "a"
	.p2align 2
multiboot_header:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	.long multiboot_header /* header_addr: where this header is loaded */
	.long __image_start    /* load_addr: file byte 0 goes here */
	.long __load_end       /* load_end_addr: end of the file's contents */
	.long __bss_end        /* bss_end_addr: zeroed up to here */
	.long multiboot_entry  /* entry_addr */

	.section .text.boot32, "ax"
	.code32

/* Multiboot: eax = MB_BOOT_MAGIC, ebx = the multiboot information. */
	.globl multiboot_entry
multiboot_entry:
	cmpl $MB_BOOT_MAGIC, %eax
	movl $msg_not_multiboot, %esi
	jne fail32
	movl $BM_BOOT_MULTIBOOT, ul_bm_boot_protocol
	jmp common32

/* PVH: ebx = the struct hvm_start_info. */
	.globl pvh_entry
pvh_entry:
	movl $BM_BOOT_PVH, ul_bm_boot_protocol

common32:
	cli
	cld
	movl %ebx, ul_bm_boot_info
	movl $boot_stack_top, %esp

	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	movl $msg_no_long_mode, %esi
	jb fail32
	movl $0x80000001, %eax
	cpuid
	testl $CPUID_EXT_LM, %edx
	jz fail32

	call build_page_tables
	lgdt boot_gdt_ptr
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PE_WP_PG, %eax
	movl %eax, %cr0
	ljmp $SEL_CODE64, $long_mode

/* Identity-map [0, 4 GiB): 2 MiB pages, except the first 2 MiB, which get
 * 4 KiB pages so that memory.c can unmap page 0 (where loaders leave their
 * structures) once it has been read, and a NULL pointer faults. The tables
 * are in .bss, so the upper halves of all entries are zero. */
build_page_tables:
	movl $pt0, %edi             /* pt0: 4 KiB pages */
	movl $PTE_PW, %eax
1:	movl %eax, (%edi)
	addl $8, %edi
	addl $0x1000, %eax
	cmpl $pt0 + 0x1000, %edi
	jne 1b

	movl $pd, %edi              /* pd[0..2047]: 2 MiB pages, 4 GiB */
	movl $(PTE_PS | PTE_PW), %eax
2:	movl %eax, (%edi)
	addl $8, %edi
	addl $0x200000, %eax
	cmpl $pd + 4 * 0x1000, %edi
	jne 2b
	movl $(pt0 + PTE_PW), pd    /* ... but the first 2 MiB through pt0 */

	movl $(pd + PTE_PW), %eax   /* pdpt[0..3]: one PD per GiB */
	movl $pdpt, %edi
3:	movl %eax, (%edi)
	addl $8, %edi
	addl $0x1000, %eax
	cmpl $pdpt + 4 * 8, %edi
	jne 3b

	movl $(pdpt + PTE_PW), pml4
	ret

/* Say why we cannot boot on COM1 (esi: NUL-terminated) and stop. The UART
 * is used as the firmware left it. */
fail32:
	movw $COM1_LSR, %dx
4:	inb %dx, %al
	testb $LSR_THR_EMPTY, %al
	jz 4b
	movw $COM1, %dx
	lodsb
	testb %al, %al
	jz 5f
	outb %al, %dx
	jmp fail32
5:	hlt
	jmp 5b

	.code64
long_mode:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	/* The upper halves of registers are undefined after the switch; rsp
	 * must be the full 64-bit address, 16-byte aligned before the call. */
	movq $boot_stack_top, %rsp
	call ul_bm_start
	ud2 /* ul_bm_start never returns */

	.section .rodata
msg_not_multiboot:
	.asciz "unilab: entered at the multiboot entry without the multiboot magic in eax\r\n"
msg_no_long_mode:
	.asciz "unilab: this CPU has no 64-bit long mode\r\n"

	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00af9b000000ffff /* SEL_CODE64: DPL 0, 64-bit code */
	.quad 0x00cf93000000ffff /* SEL_DATA: DPL 0, flat data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .bss
	.p2align 12
pml4:	.skip 0x1000
pdpt:	.skip 0x1000
pd:	.skip 4 * 0x1000
pt0:	.skip 0x1000
boot_stack:
	.skip 64 * 1024 /* the core's boot thread runs here: >= 64 KiB */
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
