/* The part of Xen's public ABI that the xen backend uses, for a 64-bit PV
 * guest, written from the facts of Xen's public headers (xen.h,
 * arch-x86/xen.h, arch-x86/xen-x86_64.h, sched.h, event_channel.h, vcpu.h,
 * features.h, io/console.h). Names are ours; numbers and layouts are Xen's.
 *
 * How a PV guest meets Xen
 * ------------------------
 * Xen loads the image's PT_LOAD segments at their virtual addresses (the
 * ELF notes in notes.S say where), fills the hypercall page, and starts
 * the guest at its entry in 64-bit mode, in "guest kernel mode" (really
 * ring 3), with:
 *   - RSI = the virtual address of struct xen_start_info;
 *   - RSP = the top of a small bootstrap stack;
 *   - one contiguous virtual region starting at the image's base that maps
 *     pseudo-physical frames 0, 1, 2, ... in order (page frame n at
 *     base + n * 4096): the image, the frame list (start_info.mfn_list),
 *     start_info itself, the bootstrap page tables (mapped read-only), the
 *     bootstrap stack, then at least 512 KiB of free padding up to a 4 MiB
 *     boundary. Frames above that, up to start_info.nr_pages, belong to
 *     the guest but are not mapped: the guest maps them itself.
 * "Machine" frames (MFNs) are the real frames; "pseudo-physical" frames
 * (PFNs) are the guest's dense numbering of its own pages. mfn_list maps
 * PFN -> MFN; Xen's read-only table at XEN_M2P maps MFN -> PFN. Page-table
 * entries hold MFNs, and a PV guest may not write its page tables
 * directly: it asks Xen (mmu_update, update_va_mapping), which checks
 * that every frame mapped belongs to the guest and that no page-table
 * page is mapped writable anywhere.
 *
 * Hypercalls: `call hypercall_page + 32 * number`, arguments in RDI, RSI,
 * RDX, R10, R8, result in RAX (0 or a negative Xen errno). Xen may
 * clobber the argument registers; the page's stubs preserve RCX and R11.
 */
#ifndef UL_XEN_ABI_H
#define UL_XEN_ABI_H

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#endif

#define XEN_PAGE_SIZE 4096
#define XEN_PAGE_SHIFT 12
#define XEN_HYPERCALL_STUB_SIZE 32 /* bytes per entry in the hypercall page */

/* Hypercall numbers (xen.h). */
#define XEN_HC_SET_TRAP_TABLE 0
#define XEN_HC_MMU_UPDATE 1
#define XEN_HC_SET_CALLBACKS 4
#define XEN_HC_UPDATE_VA_MAPPING 14
#define XEN_HC_CONSOLE_IO 18
#define XEN_HC_IRET 23 /* jumped to, not called: see events.S */
#define XEN_HC_VCPU_OP 24
#define XEN_HC_SCHED_OP 29
#define XEN_HC_EVENT_CHANNEL_OP 32

/* Flat 64-bit code selector Xen provides in every GDT; guest "kernel"
 * code runs with it (RPL 3: PV kernels run in ring 3). */
#define XEN_KERNEL_CS 0xe033

/* Where Xen maps its machine-to-physical table (MFN -> PFN, 8 bytes per
 * machine frame), read-only, in every 64-bit PV guest. */
#define XEN_M2P 0xffff800000000000ull

/* ELF note types (elfnote.h); each note's name is "Xen". */
#define XEN_ELFNOTE_ENTRY 1          /* numeric: entry point VA */
#define XEN_ELFNOTE_HYPERCALL_PAGE 2 /* numeric: VA of the page Xen fills */
#define XEN_ELFNOTE_VIRT_BASE 3      /* numeric: VA of pseudo-physical 0 */
#define XEN_ELFNOTE_PADDR_OFFSET 4   /* numeric: VA - ELF p_paddr */
#define XEN_ELFNOTE_XEN_VERSION 5    /* string: must be "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS 6       /* string */
#define XEN_ELFNOTE_LOADER 8         /* string: "generic" for non-Linux */
#define XEN_ELFNOTE_FEATURES 10      /* string: feature names, '|'-joined */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17 /* numeric: XENFEAT_* bitmap */

/* Optional feature the guest supports (features.h): running as dom0. A
 * 64-bit Xen refuses to start a kernel as the initial domain if its
 * supported-feature set is given and lacks this bit. */
#define XEN_FEATURE_DOM0 11

/* RFLAGS.IF in a frame Xen builds or an iret frame: the inverse of the
 * vCPU's event mask (set = events enabled). */
#define XEN_RFLAGS_IF (1u << 9)

/* Trap table entry flag: mask events on entry, like an interrupt gate. */
#define XEN_TRAP_MASK_EVENTS 4

#ifndef __ASSEMBLER__

/* start_info: the guest's boot information, at the VA in RSI at entry. */
#define XEN_SIF_INITDOMAIN (1u << 1) /* we are dom0, the initial domain */
#define XEN_CMDLINE_MAX 1024
struct xen_start_info {
	char magic[32];        /* "xen-<version>-<platform>" */
	uint64_t nr_pages;     /* pages the domain owns: PFNs 0..nr_pages-1 */
	uint64_t shared_info;  /* MACHINE address of the shared-info page */
	uint32_t flags;        /* XEN_SIF_* */
	uint64_t store_mfn;    /* xenstore ring page (not for dom0) */
	uint32_t store_evtchn;
	union {
		struct {
			uint64_t mfn;    /* console ring page (MACHINE frame) */
			uint32_t evtchn; /* and its event channel */
		} domu;
		struct {
			uint32_t info_off; /* VGA console info: unused here */
			uint32_t info_size;
		} dom0;
	} console;
	uint64_t pt_base;      /* VA of the bootstrap L4 page table */
	uint64_t nr_pt_frames; /* how many bootstrap page-table frames */
	uint64_t mfn_list;     /* VA of the PFN -> MFN array, nr_pages long */
	uint64_t mod_start;    /* an initial ram disk: unused here */
	uint64_t mod_len;
	char cmd_line[XEN_CMDLINE_MAX]; /* NUL-terminated */
	uint64_t first_p2m_pfn;
	uint64_t nr_p2m_frames;
};
_Static_assert(offsetof(struct xen_start_info, pt_base) == 88, "start_info");
_Static_assert(offsetof(struct xen_start_info, cmd_line) == 128,
               "start_info");

/* Xen's time record for one vCPU, updated by Xen. Read it between two
 * equal, even values of version (odd: an update is in progress). Now, in
 * ns of Xen system time (since Xen booted) is
 *   system_time + (((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul
 *                 >> 32)
 * with a negative tsc_shift meaning a right shift. */
struct xen_vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;     /* TSC when system_time was taken */
	uint64_t system_time;       /* ns since Xen booted, at tsc_timestamp */
	uint32_t tsc_to_system_mul; /* ns per (shifted) tick, 32.32 fixed */
	int8_t tsc_shift;
	int8_t pad1[3];
};

/* Per-vCPU event state. Xen sets upcall_pending (and a bit in
 * pending_sel for the word of evtchn_pending that changed) when an
 * unmasked port becomes pending; with upcall_mask clear it then calls the
 * guest's event callback. SCHEDOP_block clears upcall_mask itself. */
struct xen_vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint64_t evtchn_pending_sel;
	uint64_t cr2;  /* the faulting address of the last page fault */
	uint64_t pad;
	struct xen_vcpu_time_info time;
};
_Static_assert(sizeof(struct xen_vcpu_info) == 64, "vcpu_info");

/* The shared-info page, given by machine address in start_info. Port p's
 * pending and mask bits are bit p % 64 of word p / 64. Wall-clock time is
 * wc (seconds and ns since the epoch at Xen system time 0) plus the
 * current system time; it is versioned like the vCPU time record. */
#define XEN_LEGACY_MAX_VCPUS 32
#define XEN_EVTCHN_WORDS 64
struct xen_shared_info {
	struct xen_vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	uint64_t evtchn_pending[XEN_EVTCHN_WORDS];
	uint64_t evtchn_mask[XEN_EVTCHN_WORDS];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi; /* seconds bits 32..63 */
	/* arch-specific fields follow; unused here */
};
_Static_assert(offsetof(struct xen_shared_info, evtchn_pending) == 2048,
               "shared_info");
_Static_assert(offsetof(struct xen_shared_info, wc_version) == 3072,
               "shared_info");

/* set_trap_table: one entry per exception vector, ended by address 0. */
struct xen_trap_info {
	uint8_t vector;
	uint8_t flags;   /* bits 0-1: DPL for INT n; XEN_TRAP_MASK_EVENTS */
	uint16_t cs;     /* XEN_KERNEL_CS */
	uint64_t address;
};

/* mmu_update: write val into the page-table entry at machine address ptr
 * (its low 2 bits select the command; 0 = a checked normal update). */
struct xen_mmu_update {
	uint64_t ptr;
	uint64_t val;
};
#define XEN_DOMID_SELF 0x7ff0u

/* update_va_mapping flags: flush the one TLB entry, on this vCPU. */
#define XEN_UVMF_INVLPG 2

/* console_io: write to Xen's own console (dom0 only). */
#define XEN_CONSOLEIO_WRITE 0

/* The console ring of a domU (io/console.h), in the page
 * start_info.console.domu.mfn. Indexes run freely and are masked with
 * (ring size - 1); the guest produces into out and consumes from in. */
struct xen_console_ring {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};

/* vcpu_op(cmd, vcpu id, arg). Timeouts are absolute Xen system time. */
#define XEN_VCPUOP_STOP_PERIODIC_TIMER 7 /* arg NULL */
#define XEN_VCPUOP_SET_SINGLESHOT_TIMER 8
struct xen_vcpu_singleshot_timer {
	uint64_t timeout_abs_ns;
	uint32_t flags; /* 0: a time already past fires at once */
};

/* sched_op(cmd, arg). */
#define XEN_SCHEDOP_BLOCK 1    /* unmask events, sleep until one is pending */
#define XEN_SCHEDOP_SHUTDOWN 2 /* arg: struct xen_sched_shutdown */
struct xen_sched_shutdown {
	uint32_t reason;
};
#define XEN_SHUTDOWN_POWEROFF 0
#define XEN_SHUTDOWN_CRASH 3

/* event_channel_op(cmd, arg). */
#define XEN_EVTCHNOP_BIND_VIRQ 1
#define XEN_EVTCHNOP_SEND 4
struct xen_evtchn_bind_virq {
	uint32_t virq; /* in */
	uint32_t vcpu; /* in */
	uint32_t port; /* out */
};
struct xen_evtchn_send {
	uint32_t port;
};
#define XEN_VIRQ_TIMER 0 /* per vCPU: the single-shot (or periodic) timer */

#endif /* !__ASSEMBLER__ */

#endif
