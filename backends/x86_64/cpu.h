/* x86_64 architectural constants shared by every x86_64 backend (kvm,
 * baremetal, xen) and by the kvm monitor that builds a guest's machine
 * state. Values are from the Intel SDM vol. 3 and the AMD APM vol. 2. */
#ifndef UL_X86_64_CPU_H
#define UL_X86_64_CPU_H

#include <stdint.h>

/* Control register 0 (SDM 2.5). */
#define X86_CR0_PE (1ull << 0)  /* protected mode */
#define X86_CR0_MP (1ull << 1)  /* monitor coprocessor */
#define X86_CR0_ET (1ull << 4)  /* extension type, hardwired to 1 */
#define X86_CR0_NE (1ull << 5)  /* native x87 error reporting */
#define X86_CR0_WP (1ull << 16) /* supervisor writes honour read-only pages */
#define X86_CR0_PG (1ull << 31) /* paging */

/* Control register 4. */
#define X86_CR4_PAE (1ull << 5) /* physical address extension */

/* Extended feature enable register (MSR 0xC0000080). */
#define X86_EFER_LME (1ull << 8)  /* long mode enable */
#define X86_EFER_LMA (1ull << 10) /* long mode active (set by the CPU) */
#define X86_EFER_NXE (1ull << 11) /* no-execute bit in page tables */

/* IA32_APIC_BASE at reset on the boot processor: the local APIC at its
 * usual address, enabled, BSP flag set. */
#define X86_APIC_BASE_RESET 0xfee00900ull

/* RFLAGS (SDM 3.4.3). Bit 1 is reserved and always reads as 1. */
#define X86_RFLAGS_RESERVED (1ull << 1)
#define X86_RFLAGS_TF (1ull << 8)  /* trap after the next instruction */
#define X86_RFLAGS_RF (1ull << 16) /* no instruction breakpoint on the next */
/* The status flags a program computes with (CF PF AF ZF SF DF OF): the
 * ones a debugger lets gdb change, keeping TF and RF for itself. */
#define X86_RFLAGS_STATUS 0xcd5ull

/* Debug registers (SDM 17.2): four address registers DR0-DR3, the status
 * in DR6 and the control in DR7. */
#define X86_DEBUG_REGS 4
#define X86_DR6_HITS 0xfull         /* B0..B3: which address matched */
#define X86_DR6_BS (1ull << 14)     /* the #DB is a single step */
#define X86_DR6_CLEAR 0xffff0ff0ull /* DR6 with no status bit set */
#define X86_DR7_FIXED (1ull << 10)  /* reserved, reads as 1 */
#define X86_DR7_LOCAL(i) (1ull << (2 * (i))) /* DRi enabled */
#define X86_DR7_EXACT (3ull << 8)   /* LE, GE: report data hits exactly */
/* What DRi watches (X86_DR7_EXEC, _WRITE or _ACCESS), over how many
 * bytes (x86_dr7_len). */
#define X86_DR7_RW(i, rw) ((uint64_t)(rw) << (16 + 4 * (i)))
#define X86_DR7_LEN(i, len) ((uint64_t)(len) << (18 + 4 * (i)))
enum { X86_DR7_EXEC = 0, X86_DR7_WRITE = 1, X86_DR7_ACCESS = 3 };

/* DR7's LEN code for a watch of len bytes, len being 1, 2, 4 or 8 (the
 * address aligned to it). */
static inline unsigned x86_dr7_len(uint64_t len)
{
	return len == 1 ? 0 : len == 2 ? 1 : len == 8 ? 2 : 3;
}

/* Page-table entries, same layout at every level of 4-level paging
 * (SDM 4.5). PS in a PDPT or PD entry maps a 1 GiB or 2 MiB page. */
#define X86_PTE_P (1ull << 0)   /* present */
#define X86_PTE_W (1ull << 1)   /* writable */
#define X86_PTE_U (1ull << 2)   /* user accessible */
#define X86_PTE_PS (1ull << 7)  /* large page */
#define X86_PTE_NX (1ull << 63) /* no execute (needs EFER.NXE) */

#define X86_LARGE_PAGE_SIZE (2ull << 20)  /* mapped by one PD entry */
#define X86_PD_SPAN (1ull << 30)          /* mapped by one PD */
#define X86_PT_ENTRIES 512

/* Segment descriptor access bytes (SDM 3.4.5), bits 40..47 of a GDT entry:
 * present, DPL, and the type. */
#define X86_SEG_KERNEL_CODE 0x9b /* DPL 0 code, execute/read, accessed */
#define X86_SEG_KERNEL_DATA 0x93 /* DPL 0 data, read/write, accessed */
#define X86_SEG_USER_CODE 0xfb   /* the same at DPL 3 */
#define X86_SEG_USER_DATA 0xf3
#define X86_SEG_TSS64_BUSY 0x8b  /* 64-bit TSS, busy (as after LTR) */
/* The flags nibble, bits 52..55: granularity 4 KiB, and L (64-bit code) or
 * D/B (32-bit data). */
#define X86_SEG_FLAGS_CODE64 0xa
#define X86_SEG_FLAGS_DATA 0xc

/* Fields of an access byte. */
#define X86_SEG_TYPE(access) ((access) & 0xf)
#define X86_SEG_S(access) (((access) >> 4) & 1) /* code/data, not system */
#define X86_SEG_DPL(access) (((access) >> 5) & 3)

/* One 8-byte code or data descriptor. Base and limit are ignored in 64-bit
 * mode for CS/DS/ES/SS, but the CPU still checks present and type. */
static inline uint64_t x86_seg_desc(uint8_t access, uint8_t flags,
                                    uint32_t base, uint32_t limit)
{
	return (uint64_t)(limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) |
	       ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)(flags & 0xf) << 52) |
	       ((uint64_t)(base >> 24) << 56);
}

/* A 64-bit TSS (SDM 8.7). In long mode it only supplies stack pointers
 * (rsp0-2 for privilege changes, ist[0..6] = IST1..IST7 for interrupt
 * gates that name an IST slot) and, at iomap_base from its start, the I/O
 * permission bitmap: bit n clear lets CPL > IOPL access port n (SDM 19.5). */
struct x86_tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* A 64-bit interrupt gate (SDM 6.14.1), 16 bytes. */
struct x86_idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;      /* bits 0..2: IST slot, 0 = current stack */
	uint8_t type_attr; /* present, DPL, type */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));
#define X86_GATE_INTR 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define X86_GATE_INTR_USER 0xee /* the same, and INT n allowed at CPL 3 */

/* The gate that runs handler with code selector sel, on IST slot ist (0:
 * the current stack), of type type_attr (X86_GATE_*). */
static inline struct x86_idt_gate x86_gate(uint64_t handler, uint16_t sel,
                                         uint8_t ist, uint8_t type_attr)
{
	return (struct x86_idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = sel,
		.ist = ist,
		.type_attr = type_attr,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

/* Exception vectors (SDM 6.3.1). */
#define X86_EXC_DB 1
#define X86_EXC_BP 3
#define X86_EXC_PF 14
#define X86_EXC_COUNT 32 /* vectors 0..31 are reserved for exceptions */

/* Page-fault error code bits (SDM 4.7). */
#define X86_PF_PRESENT (1u << 0) /* protection violation, not a missing page */
#define X86_PF_WRITE (1u << 1)
#define X86_PF_RSVD (1u << 3)
#define X86_PF_FETCH (1u << 4)

/* --- Added for the baremetal backend, which owns the whole machine. --- */

/* Model-specific registers (SDM vol. 4). */
#define X86_MSR_APIC_BASE 0x1b    /* local APIC physical base and enable */
#define X86_MSR_FS_BASE 0xc0000100
#define X86_MSR_GS_BASE 0xc0000101
#define X86_APIC_BASE_ENABLE (1ull << 11)

/* Cache control bits of a page-table entry: PCD|PWT selects PAT entry 3,
 * uncached at reset, which device registers want. */
#define X86_PTE_PWT (1ull << 3)
#define X86_PTE_PCD (1ull << 4)
/* The physical-address bits of a page-table entry (and of
 * IA32_APIC_BASE): 4 KiB-aligned, below 2^52. */
#define X86_PTE_ADDR 0x000ffffffffff000ull
#define X86_PAGE_SIZE 4096ull

/* A 64-bit TSS descriptor (SDM 8.2.3) is 16 bytes: two GDT slots. */
#define X86_SEG_TSS64_AVAIL 0x89 /* 64-bit TSS, available (before LTR) */
static inline void x86_tss_desc(uint64_t slot[2], uint64_t base, uint32_t limit)
{
	slot[0] = x86_seg_desc(X86_SEG_TSS64_AVAIL, 0, (uint32_t)base, limit);
	slot[1] = base >> 32;
}

#endif
