/* unilab-kvm: the vCPU's first state. The guest starts in 64-bit long mode,
 * in user mode, at its entry point, so the monitor builds what firmware and
 * a boot loader would: identity-mapped page tables, a GDT with a TSS, an
 * empty IDT, and the control registers and segments of long mode (the
 * layout, and why user mode, are in abi.h). */
#include <elf.h>
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "monitor.h"
#include "x86_64/cpu.h"

#define GDT_ENTRIES 7 /* null, 2 kernel, 2 user, the 16-byte TSS descriptor */
#define TSS_OFFSET 0x40
/* The TSS's I/O permission bitmap: one bit per port up to the last
 * hypercall port, then the all-ones byte the CPU wants after it. */
#define IOMAP_OFFSET (TSS_OFFSET + sizeof(struct x86_tss64))
#define IOMAP_BYTES ((UL_KVM_HC_PORT_BASE + UL_KVM_HC_PORTS) / 8 + 1)
#define TSS_LIMIT (IOMAP_OFFSET + IOMAP_BYTES - TSS_OFFSET - 1)

_Static_assert(UL_KVM_BOOT_PAGE + IOMAP_OFFSET + IOMAP_BYTES <= BOOT_INFO_GPA,
               "boot page: the TSS runs into the boot info");
#define PML4 UL_KVM_PAGE_TABLES
#define PDPT (PML4 + UL_KVM_PAGE)
#define PT0 (PDPT + UL_KVM_PAGE) /* 4 KiB pages of the first 2 MiB */
#define PD(i) (PT0 + UL_KVM_PAGE * (1 + (i)))
#define MAX_PDS ((UL_KVM_PAGE_TABLES_END - PD(0)) / UL_KVM_PAGE)

_Static_assert(MAX_PDS * X86_PD_SPAN >= UL_KVM_MEM_MAX,
               "page-table area too small for the largest guest memory");

static uint64_t *table(const struct vm *vm, uint64_t gpa)
{
	return guest_ptr(&vm->mem, gpa, UL_KVM_PAGE, UL_KVM_PAGE);
}

/* Rights of one 4 KiB page of the first 2 MiB, from the map in abi.h and,
 * for image pages, the union of the segments that touch the page. */
static uint64_t low_page_rights(const struct vm *vm, uint64_t addr)
{
	const uint64_t ro = X86_PTE_P | X86_PTE_U | X86_PTE_NX;
	const uint64_t rw = ro | X86_PTE_W;
	const struct image *img = &vm->image;

	if (addr >= vm->mem.size || addr < UL_KVM_PAGE)
		return 0;
	if (addr < UL_KVM_PAGE_TABLES_END)
		return ro;
	if (addr == UL_KVM_IDT)
		return rw;
	if (addr >= UL_KVM_EXC_STACK && addr < UL_KVM_EXC_STACK_TOP)
		return rw;
	if (addr < UL_KVM_STACK)
		return 0;
	if (addr < UL_KVM_STACK_TOP)
		return rw;

	uint64_t rights = 0;
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct segment *s = &img->seg[i];
		if (addr + UL_KVM_PAGE <= s->addr || addr >= s->addr + s->memsz)
			continue;
		rights |= ro;
		if (s->flags & PF_W)
			rights |= X86_PTE_W;
		if (s->flags & PF_X)
			rights &= ~X86_PTE_NX;
	}
	return rights ? rights : rw; /* not in the image: heap */
}

static void build_page_tables(const struct vm *vm)
{
	uint64_t *pml4 = table(vm, PML4), *pdpt = table(vm, PDPT);
	uint64_t *pt0 = table(vm, PT0);
	uint64_t npds = (vm->mem.size + X86_PD_SPAN - 1) / X86_PD_SPAN;
	/* Directories allow everything; the leaf entries decide. */
	const uint64_t dir = X86_PTE_P | X86_PTE_W | X86_PTE_U;

	pml4[0] = PDPT | dir;
	for (uint64_t i = 0; i < npds; i++) {
		uint64_t *pd = table(vm, PD(i));
		pdpt[i] = PD(i) | dir;
		for (uint64_t j = 0; j < X86_PT_ENTRIES; j++) {
			uint64_t addr = i * X86_PD_SPAN + j * X86_LARGE_PAGE_SIZE;
			if (addr >= vm->mem.size)
				break;
			pd[j] = addr == 0 ? PT0 | dir
			                  : addr | dir | X86_PTE_PS;
		}
	}
	for (uint64_t j = 0; j < X86_PT_ENTRIES; j++) {
		uint64_t addr = j * UL_KVM_PAGE;
		uint64_t rights = low_page_rights(vm, addr);
		if (rights)
			pt0[j] = addr | rights;
	}
}

/* GDT and TSS in the boot page. The TSS supplies IST1, the stack the
 * guest's exception handlers run on (so that even a stack overflow can be
 * reported), and the I/O bitmap that opens the hypercall ports, and only
 * them, to user mode. The bitmap rather than IOPL 3, because some software
 * KVMs (kvm_pvm) do not keep a guest's IOPL across exits. */
static void build_gdt(const struct vm *vm)
{
	uint64_t *gdt = guest_ptr(&vm->mem, UL_KVM_BOOT_PAGE,
	                          GDT_ENTRIES * 8, 8);
	struct x86_tss64 *tss = guest_ptr(&vm->mem, UL_KVM_BOOT_PAGE + TSS_OFFSET,
	                                  sizeof(*tss), 8);
	uint64_t tss_base = UL_KVM_BOOT_PAGE + TSS_OFFSET;

	gdt[UL_KVM_SEL_KERNEL_CODE / 8] = x86_seg_desc(
		X86_SEG_KERNEL_CODE, X86_SEG_FLAGS_CODE64, 0, 0xfffff);
	gdt[UL_KVM_SEL_KERNEL_DATA / 8] = x86_seg_desc(
		X86_SEG_KERNEL_DATA, X86_SEG_FLAGS_DATA, 0, 0xfffff);
	gdt[UL_KVM_SEL_USER_CODE / 8] = x86_seg_desc(
		X86_SEG_USER_CODE, X86_SEG_FLAGS_CODE64, 0, 0xfffff);
	gdt[UL_KVM_SEL_USER_DATA / 8] = x86_seg_desc(
		X86_SEG_USER_DATA, X86_SEG_FLAGS_DATA, 0, 0xfffff);
	/* A 64-bit TSS descriptor is 16 bytes: the usual 8, then bits 32..63
	 * of the base. */
	gdt[UL_KVM_SEL_TSS / 8] = x86_seg_desc(X86_SEG_TSS64_BUSY, 0,
	                                       (uint32_t)tss_base, TSS_LIMIT);
	gdt[UL_KVM_SEL_TSS / 8 + 1] = tss_base >> 32;
	tss->ist[UL_KVM_EXC_IST - 1] = UL_KVM_EXC_STACK_TOP;
	tss->iomap_base = IOMAP_OFFSET - TSS_OFFSET;

	uint8_t *iomap = guest_ptr(&vm->mem, UL_KVM_BOOT_PAGE + IOMAP_OFFSET,
	                           IOMAP_BYTES, 1);
	memset(iomap, 0xff, IOMAP_BYTES);
	for (unsigned p = UL_KVM_HC_PORT_BASE;
	     p < UL_KVM_HC_PORT_BASE + UL_KVM_HC_PORTS; p++)
		iomap[p / 8] &= (uint8_t)~(1u << (p % 8));
}

/* The hidden part of a segment register, as the CPU would have loaded it
 * from the descriptor that build_gdt wrote for selector. */
static struct kvm_segment segment(uint16_t selector, uint8_t access,
                                  uint8_t flags, uint64_t base, uint32_t limit)
{
	return (struct kvm_segment){
		.base = base,
		.limit = limit,
		.selector = selector,
		.type = X86_SEG_TYPE(access),
		.present = 1,
		.dpl = X86_SEG_DPL(access),
		.db = (flags >> 2) & 1,
		.s = X86_SEG_S(access),
		.l = (flags >> 1) & 1,
		.g = (flags >> 3) & 1,
	};
}

static void set_registers(const struct vm *vm)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_segment data = segment(UL_KVM_SEL_USER_DATA, X86_SEG_USER_DATA,
	                                  X86_SEG_FLAGS_DATA, 0, 0xffffffff);

	/* Every field is set here, so no KVM_GET_SREGS first. */
	memset(&sregs, 0, sizeof(sregs));
	sregs.cs = segment(UL_KVM_SEL_USER_CODE, X86_SEG_USER_CODE,
	                   X86_SEG_FLAGS_CODE64, 0, 0xffffffff);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.tr = segment(UL_KVM_SEL_TSS, X86_SEG_TSS64_BUSY, 0,
	                   UL_KVM_BOOT_PAGE + TSS_OFFSET, TSS_LIMIT);
	sregs.ldt.unusable = 1;
	sregs.gdt.base = UL_KVM_BOOT_PAGE;
	sregs.gdt.limit = GDT_ENTRIES * 8 - 1;
	sregs.idt.base = UL_KVM_IDT;
	sregs.idt.limit = UL_KVM_IDT_GATES * sizeof(struct x86_idt_gate) - 1;
	sregs.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
	            X86_CR0_WP | X86_CR0_PG;
	sregs.cr3 = PML4;
	sregs.cr4 = X86_CR4_PAE;
	sregs.efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;
	sregs.apic_base = X86_APIC_BASE_RESET;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
		fatal(UL_KVM_EXIT_HOST, "KVM_SET_SREGS failed: %s",
		      strerror(errno));

	memset(&regs, 0, sizeof(regs));
	regs.rip = vm->image.entry;
	regs.rsp = UL_KVM_STACK_TOP;
	regs.rdi = BOOT_INFO_GPA;
	regs.rflags = X86_RFLAGS_RESERVED;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		fatal(UL_KVM_EXIT_HOST, "KVM_SET_REGS failed: %s", strerror(errno));
}

void cpu_setup(struct vm *vm)
{
	build_page_tables(vm);
	build_gdt(vm);
	set_registers(vm);
}
