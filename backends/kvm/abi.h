/* The host/guest ABI of the kvm backend: how unilab-kvm starts a guest and
 * how the guest asks it for anything. Included by both sides; it is the
 * whole contract between them, so every field says its units, direction
 * and limits.
 *
 * Machine at entry
 * ----------------
 * The guest starts at its ELF entry point, already in 64-bit long mode,
 * at CPL 3 (user mode). A unikernel has no use for privilege levels, and
 * user mode is what every KVM runs natively: a software KVM such as
 * kvm_pvm runs guest supervisor-mode code through its instruction
 * emulator, hundreds of times slower. The TSS's I/O bitmap opens the
 * hypercall ports (and no others) to user mode; RDTSC is allowed too. Only
 * the guest's exception handlers run at CPL 0.
 *   - paging on (CR0.PG|PE|WP, CR4.PAE, EFER.LME|LMA|NXE); guest virtual
 *     addresses equal guest physical addresses for all of guest memory
 *     [0, mem_size), every page user-accessible. Pages in the first 2 MiB
 *     are mapped one by one with the rights of what they hold (see the map
 *     below; an ELF segment gets read from R, write from W and execute
 *     from X); memory above 2 MiB is mapped with 2 MiB pages, writable and
 *     executable.
 *   - GDT in the boot page: UL_KVM_SEL_KERNEL_CODE and _DATA (DPL 0, for
 *     the exception handlers), UL_KVM_SEL_USER_CODE and _DATA (DPL 3),
 *     and a 64-bit TSS in TR whose IST1 is UL_KVM_EXC_STACK_TOP and whose
 *     I/O bitmap allows exactly the UL_KVM_HC_PORTS hypercall ports.
 *     CS = UL_KVM_SEL_USER_CODE; DS = ES = SS = FS = GS =
 *     UL_KVM_SEL_USER_DATA, all flat.
 *   - IDTR points at the IDT page, UL_KVM_IDT_GATES 16-byte gates, all zero
 *     (not present): the guest fills them in (it cannot run LIDT in user
 *     mode). An exception before it does is a triple fault, which the
 *     monitor reports as such. With gdb attached (--gdb) the monitor fills
 *     in the #DB and #BP gates itself, as the guest will, pointing at the
 *     image's ul_x86_exception_stubs, so that the guest's very first
 *     instructions can be stepped.
 *   - RFLAGS = 0x2: interrupts off, IOPL 0. There is no interrupt
 *     controller and the guest never receives an interrupt; it waits with
 *     UL_KVM_HC_POLL.
 *   - RDI = guest address of the struct ul_kvm_boot_info, RSP =
 *     UL_KVM_STACK_TOP (16-byte aligned), every other register 0.
 *   - memory outside the image's file contents is zero, including each
 *     segment's tail past p_filesz (its .bss): the guest need not clear it.
 *   - the TSC runs at boot_info.tsc_khz and is not trapped: the guest reads
 *     the time without leaving the VM.
 *
 * Guest physical memory map
 * -------------------------
 *   0x00000-0x00fff  not mapped: NULL dereferences fault
 *   0x01000-0x01fff  boot page: GDT, TSS, struct ul_kvm_boot_info (read-only)
 *   0x02000-0x02fff  app name and command line strings (read-only)
 *   0x03000-0x09fff  page tables (read-only)
 *   0x0a000-0x0afff  IDT page, filled in by the guest (read-write)
 *   0x0b000-0x0dfff  not mapped
 *   0x0e000-0x0efff  exception stack (IST1) for the guest's handlers
 *   0x0f000-0x0ffff  not mapped: guard below the stack
 *   0x10000-0x1ffff  boot stack (64 KiB, grows down from 0x20000)
 *   0x20000-...      the image's PT_LOAD segments, then free memory (the
 *                    heap) up to mem_size
 * The monitor refuses an image with a segment below UL_KVM_IMAGE_BASE.
 *
 * Hypercalls
 * ----------
 * A hypercall is a 32-bit port write, `outl %eax, $port`, to port
 * UL_KVM_HC_PORT(nr), where eax holds the guest physical address of the
 * call's argument struct. The struct must lie entirely inside guest
 * memory, above the NULL page, and be 8-byte aligned. The monitor reads
 * the struct, does the call and writes results back into the struct before
 * the `outl` instruction completes; then the guest continues.
 *
 * The guest is not trusted. Every address and length in a struct is
 * checked against guest memory (including address + length overflow)
 * before the monitor touches it. A call that breaks these rules (bad
 * pointer, misaligned struct, unknown number, port access that is not 32
 * bits wide) is a bad hypercall: the monitor prints what was wrong and
 * ends the guest with UL_KVM_EXIT_BAD_HYPERCALL. Errors that a correct
 * guest can meet (a bad device index, a range past the end of a disk, no
 * frame waiting) are returned in the struct's ret field as negative
 * UL_E* codes from <unilab/errno.h>.
 */
#ifndef UL_KVM_ABI_H
#define UL_KVM_ABI_H

#include <stdint.h>

/* Bumped on any incompatible change; the guest refuses to run on a
 * monitor that announces another version. */
#define UL_KVM_ABI_VERSION 3 /* 3: block requests through rings */

/* Guest physical addresses of the fixed layout above. */
#define UL_KVM_PAGE 0x1000ull
#define UL_KVM_BOOT_PAGE 0x1000ull
#define UL_KVM_STRINGS_PAGE 0x2000ull
#define UL_KVM_PAGE_TABLES 0x3000ull
#define UL_KVM_PAGE_TABLES_END 0xa000ull
#define UL_KVM_IDT 0xa000ull
#define UL_KVM_IDT_GATES 32 /* the CPU exceptions; IDTR limit 32*16-1 */
#define UL_KVM_EXC_STACK 0xe000ull
#define UL_KVM_EXC_STACK_TOP 0xf000ull
#define UL_KVM_EXC_IST 1 /* the TSS's IST slot that holds EXC_STACK_TOP */
#define UL_KVM_STACK 0x10000ull
#define UL_KVM_STACK_TOP 0x20000ull
#define UL_KVM_IMAGE_BASE 0x20000ull

/* Guest memory size limits. The upper limit keeps every guest address
 * inside the 32 bits that a hypercall's `outl` carries. */
#define UL_KVM_MEM_MIN (256ull << 10)
#define UL_KVM_MEM_MAX (4ull << 30)

/* GDT selectors (user ones with RPL 3). */
#define UL_KVM_SEL_KERNEL_CODE 0x08
#define UL_KVM_SEL_KERNEL_DATA 0x10
#define UL_KVM_SEL_USER_CODE 0x1b
#define UL_KVM_SEL_USER_DATA 0x23
#define UL_KVM_SEL_TSS 0x28

#define UL_KVM_MAX_NET 4   /* as UL_MAX_NET in core/platform.h */
#define UL_KVM_MAX_BLOCK 4 /* as UL_MAX_BLOCK */

/* Boot info, written by the monitor into the boot page; read-only. */
#define UL_KVM_BOOT_TRACE (1u << 0) /* --trace-boot: report UL_KVM_TRACE_* */

struct ul_kvm_net_dev {
	uint8_t mac[6];  /* the guest's own address on this link */
	uint16_t mtu;    /* largest IP payload, bytes (the interface's MTU) */
};

struct ul_kvm_block_dev {
	uint64_t sectors;     /* capacity in sectors */
	uint32_t sector_size; /* bytes, always 512 */
	uint32_t read_only;   /* 1: writes fail with -UL_EROFS */
};

struct ul_kvm_boot_info {
	uint32_t abi_version; /* UL_KVM_ABI_VERSION of the monitor */
	uint32_t flags;       /* UL_KVM_BOOT_* */
	uint64_t mem_size;    /* bytes of guest memory, from address 0 */
	uint64_t heap_start;  /* free memory [heap_start, heap_end): */
	uint64_t heap_end;    /* page-aligned, after the image, up to mem_size */
	uint64_t app;         /* address of the app's name, NUL-terminated */
	uint64_t cmdline;     /* address of the command line for the core,
	                         NUL-terminated, may be empty */
	uint64_t tsc_khz;     /* TSC ticks per millisecond */
	uint64_t wall_ns;     /* wall clock (ns since 1970 UTC) just before
	                         the guest's first instruction */
	uint32_t net_count;   /* net[0..net_count-1] are valid */
	uint32_t block_count; /* block[0..block_count-1] are valid */
	struct ul_kvm_net_dev net[UL_KVM_MAX_NET];
	struct ul_kvm_block_dev block[UL_KVM_MAX_BLOCK];
};

/* Hypercall numbers. Port = UL_KVM_HC_PORT_BASE + number; the whole
 * range of UL_KVM_HC_PORTS ports is the monitor's, so a number it does not
 * know is a bad hypercall rather than stray I/O. */
#define UL_KVM_HC_PORT_BASE 0x500
#define UL_KVM_HC_PORTS 0x100
#define UL_KVM_HC_PORT(nr) (UL_KVM_HC_PORT_BASE + (nr))

enum ul_kvm_hypercall {
	UL_KVM_HC_CONSOLE,     /* struct ul_kvm_console */
	UL_KVM_HC_POLL,        /* struct ul_kvm_poll */
	UL_KVM_HC_EXIT,        /* struct ul_kvm_exit; does not return */
	UL_KVM_HC_ABORT,       /* struct ul_kvm_abort; does not return */
	UL_KVM_HC_NET_RINGS,   /* struct ul_kvm_net_rings */
	UL_KVM_HC_NET_FLUSH,   /* struct ul_kvm_net_flush */
	UL_KVM_HC_BLOCK_RING,  /* struct ul_kvm_block_ring_reg */
	UL_KVM_HC_BLOCK_KICK,  /* struct ul_kvm_block_kick */
	UL_KVM_HC_TRACE,       /* struct ul_kvm_trace */
	UL_KVM_HC_DEBUG,       /* struct ul_kvm_debug; returns */
	UL_KVM_HC_ENTROPY,     /* struct ul_kvm_entropy */
	UL_KVM_HC_COUNT
};

/* Write len bytes at data to the console (the monitor's stdout). Always
 * succeeds; len may be 0. */
struct ul_kvm_console {
	uint64_t data; /* in: guest address */
	uint64_t len;  /* in: bytes */
};

/* Sleep until a net device in wait has a frame to receive or timeout_ns
 * have passed. Before it sleeps the monitor does what UL_KVM_HC_NET_FLUSH
 * does (sends every transmit ring's frames, fills every receive ring), and
 * it does not sleep when that put a frame in the receive ring of a device
 * in wait. ready gets bit i set when this call put frames in net[i]'s
 * receive ring and net[i] is in wait (UL_READY_NET(i)); 0 means the time
 * ran out, or a spurious wake-up. */
struct ul_kvm_poll {
	uint64_t timeout_ns; /* in: UINT64_MAX waits with no time limit */
	uint32_t ready;      /* out */
	uint32_t wait;       /* in: the devices that may end the sleep
	                        (UL_READY_NET bits); frames for the others
	                        still fill their rx rings, and wait in the
	                        host (which drops them when its queue is
	                        full) once a ring is full */
};

/* End the guest; the monitor exits with status & 0xff. */
struct ul_kvm_exit {
	uint32_t status; /* in */
	uint32_t reserved;
};

/* A CPU exception the guest could not handle. The guest's handler fills in
 * what the CPU pushed and the general registers; the monitor prints a crash
 * report (with the symbol of rip and the words at rsp, which it reads
 * itself) and exits with UL_KVM_EXIT_CRASH. */
struct ul_kvm_abort {
	uint64_t vector;     /* 0..31 */
	uint64_t error_code; /* 0 for vectors without one */
	uint64_t rip, cs, rflags, rsp, ss; /* the interrupted context */
	uint64_t cr2;        /* faulting address, for page faults */
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/* A debug exception: #BP (int3) or #DB (single step, debug registers).
 * The argument is the guest's exception frame itself, as its entry code
 * pushed it (so that taking one costs the guest a few dozen instructions:
 * single-stepping takes one per instruction). With a debugger attached
 * (unilab-kvm --gdb) the monitor shows the interrupted context to gdb,
 * which may change rax..r15, rip, rsp and the rflags bits CF PF AF ZF SF
 * DF OF, and the monitor sets TF and RF as stepping needs; the guest then
 * resumes the context from the frame (iretq). Without a debugger it is a
 * crash, as an abort. Debug exceptions go through the guest because a
 * software KVM may never report them to the monitor (kvm_pvm delivers #BP
 * and #DB raised in user mode straight to the guest, whatever
 * KVM_SET_GUEST_DEBUG asked). */
struct ul_kvm_debug {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8; /* in/out */
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;     /* in/out */
	uint64_t vector; /* in: 1 (#DB) or 3 (#BP) */
	uint64_t dr6;    /* in: for #DB the debug status register (the slot
	                    of an error code, which these have none of) */
	uint64_t rip, cs, rflags, rsp, ss; /* in/out: the CPU's frame; cs and
	                                      ss are not to be changed */
};

/* Network rings
 * -------------
 * Frames do not cost a hypercall each: every net device has a transmit
 * (tx) and a receive (rx) ring in guest memory that the guest and the
 * monitor share. A ring is a struct ul_kvm_ring followed by size
 * descriptors; size is a power of two in [UL_KVM_RING_MIN,
 * UL_KVM_RING_MAX], fixed when the guest registers the ring.
 *
 * Indexes are free-running 32-bit counters (they wrap at 2^32); counter n
 * names descriptor desc[n % size]. Each is written by one side only:
 *   avail  by the guest: descriptors [used, avail) are the monitor's.
 *          avail - used never exceeds size.
 *   used   by the monitor: it has finished with descriptors below used
 *          and handed them back, with their ret filled in.
 * A descriptor's addr and len are written by the guest while the
 * descriptor is its own (before it raises avail past it); ret is written
 * by the monitor before it raises used past it. Each side writes a
 * descriptor first and the index after (release), and reads the index
 * first and the descriptor after (acquire).
 *
 *   tx: the guest puts a frame (14..mtu+14 bytes) at addr, len its length,
 *       and raises avail. The monitor sends it and sets ret to len, or to
 *       a negative UL_E* (-UL_EINVAL for a bad length, -UL_EAGAIN when the
 *       host could not take it: the frame was dropped, as a busy NIC
 *       would). The guest may reuse the buffer once used has passed it.
 *   rx: the guest posts an empty buffer, addr and its capacity len, and
 *       raises avail. The monitor writes a received frame there and sets
 *       ret to its length, or to -UL_EMSGSIZE (the frame was longer than
 *       len and was dropped).
 *
 * When the monitor looks: there are no interrupts and one vCPU, so the
 * monitor touches rings only during the guest's UL_KVM_HC_POLL and
 * UL_KVM_HC_NET_FLUSH calls, while the guest is stopped. A guest therefore
 * queues frames without exiting and notifies once per batch: when it goes
 * to sleep (poll flushes) or when a tx ring is full (flush). Receiving
 * costs no exit at all: frames that arrived meanwhile are in the rx ring
 * when the guest wakes.
 *
 * Trust: the monitor keeps its own copy of each ring's address and size
 * and its own used counters, and never reads them back from the guest. It
 * reads avail once per look and copies each descriptor once before it
 * checks and uses it. A ring that lies ends the guest with
 * UL_KVM_EXIT_BAD_HYPERCALL and a message that names the ring: avail more
 * than size ahead of used, or a descriptor whose buffer [addr, addr+len)
 * is not inside guest memory. */
#define UL_KVM_RING_MIN 2
#define UL_KVM_RING_MAX 1024

struct ul_kvm_desc {
	uint64_t addr; /* guest: buffer address */
	uint32_t len;  /* guest: tx frame length / rx buffer capacity, bytes */
	int32_t ret;   /* monitor: frame length, or a negative UL_E* */
};

struct ul_kvm_ring {
	uint32_t avail; /* guest-written */
	uint32_t used;  /* monitor-written */
	struct ul_kvm_desc desc[]; /* size of them */
};

/* Register net device dev's two rings (each 8-byte aligned, inside guest
 * memory, 8 + 16 * size bytes). Both start empty: the monitor sets each
 * ring's used to its avail as it is then (neither need be 0). A device has rings once:
 * a second registration for the same device is a bad hypercall, as are a
 * size that is not allowed and rings outside memory. ret: 0, -UL_ENODEV.
 * Until its rings are registered a device neither sends nor receives. */
struct ul_kvm_net_rings {
	uint32_t dev;  /* in: device index */
	int32_t ret;   /* out */
	uint64_t tx;   /* in: guest address of the tx struct ul_kvm_ring */
	uint64_t rx;   /* in: guest address of the rx struct ul_kvm_ring */
	uint32_t size; /* in: descriptors per ring, both rings */
	uint32_t reserved;
};

/* Send what every tx ring holds and fill every rx ring from what has
 * arrived, without sleeping. ready: as UL_KVM_HC_POLL's. */
struct ul_kvm_net_flush {
	uint32_t ready; /* out */
	uint32_t reserved;
};

/* Block rings
 * -----------
 * Block requests do not cost a hypercall each either: every block device
 * has one request ring in guest memory, a struct ul_kvm_block_ring
 * followed by size struct ul_kvm_block_desc, size a power of two in
 * [UL_KVM_RING_MIN, UL_KVM_RING_MAX]. Its avail and used indexes mean
 * what a net ring's do (free-running, avail by the guest, used by the
 * monitor, descriptors [used, avail) are the monitor's, avail - used never
 * exceeds size; write the descriptor, then the index, with release; read
 * the index, then the descriptor, with acquire).
 *
 * A descriptor asks to read or write count sectors at sector, to or from
 * the count * sector_size bytes at addr. The guest writes op, sector,
 * count and addr while the descriptor is its own; the monitor writes ret
 * (0, or -UL_EINVAL for an unknown op or a range outside the device,
 * -UL_EROFS for a write to a read-only device, -UL_EIO when the host
 * failed) before it raises used past it. A descriptor with count 0 does
 * nothing and succeeds. Requests are done in ring order: a read after a
 * write of the same sectors sees the write.
 *
 * When the monitor looks: only during UL_KVM_HC_BLOCK_KICK for that
 * device. The kick does every request in [used, avail) and returns when
 * used has reached avail: a guest queues as many requests as it has and
 * kicks once. (The kvm guest library has one request at a time, since the
 * platform seam's block calls are synchronous; the buffer cache already
 * merges adjacent blocks into one request.)
 *
 * Trust: as for the net rings. The monitor keeps its own copy of the
 * ring's address, size and used counter; reads avail once per kick; copies
 * each descriptor once before checking and using it. A ring that lies
 * ends the guest with UL_KVM_EXIT_BAD_HYPERCALL and a message naming the
 * ring: avail more than size ahead of used, or a buffer [addr, addr +
 * count * sector_size) that is not inside guest memory. */
enum ul_kvm_block_op {
	UL_KVM_BLOCK_OP_READ,  /* device to guest memory */
	UL_KVM_BLOCK_OP_WRITE, /* guest memory to device */
};

struct ul_kvm_block_desc {
	uint64_t sector; /* guest: first sector */
	uint64_t addr;   /* guest: buffer address */
	uint32_t count;  /* guest: sectors */
	uint32_t op;     /* guest: UL_KVM_BLOCK_OP_* */
	int32_t ret;     /* monitor: 0, or a negative UL_E* */
	uint32_t reserved;
};

struct ul_kvm_block_ring {
	uint32_t avail; /* guest-written */
	uint32_t used;  /* monitor-written */
	struct ul_kvm_block_desc desc[]; /* size of them */
};

/* Register block device dev's ring (8-byte aligned, inside guest memory,
 * 8 + 32 * size bytes). It starts empty: the monitor sets used to avail
 * as it is then. A device has one ring: a second registration is a bad
 * hypercall, as are a size that is not allowed and a ring outside memory.
 * ret: 0, -UL_ENODEV. Until its ring is registered a device does no I/O. */
struct ul_kvm_block_ring_reg {
	uint32_t dev;  /* in: device index */
	int32_t ret;   /* out */
	uint64_t ring; /* in: guest address of the struct ul_kvm_block_ring */
	uint32_t size; /* in: descriptors */
	uint32_t reserved;
};

/* Do the requests queued on dev's ring. ret: 0, or -UL_ENODEV (no such
 * device, or it has no ring); each request's own result is in its ret. */
struct ul_kvm_block_kick {
	uint32_t dev; /* in */
	int32_t ret;  /* out */
};

/* Fill len bytes at data with bytes from the host kernel's getrandom().
 * ret: 0, -UL_EINVAL (len above UL_KVM_ENTROPY_MAX: the guest asks again
 * for more), -UL_EIO (the host failed). */
#define UL_KVM_ENTROPY_MAX 256
struct ul_kvm_entropy {
	uint64_t data; /* in: guest address */
	uint32_t len;  /* in: bytes, 0..UL_KVM_ENTROPY_MAX */
	int32_t ret;   /* out */
};

/* A boot phase reached inside the guest, reported only when boot_info.flags
 * has UL_KVM_BOOT_TRACE. */
enum ul_kvm_trace_phase {
	UL_KVM_TRACE_MAIN = 1, /* the core is about to call the app's ul_main */
};
struct ul_kvm_trace {
	uint32_t phase; /* in: UL_KVM_TRACE_* */
	uint32_t reserved;
};

/* Exit statuses of unilab-kvm. The guest's own status (0..255) passes
 * through; the core keeps 0..111 for apps and 112..115 for itself (see
 * <unilab/panic.h>). The monitor's own failures use: */
#define UL_KVM_EXIT_CRASH 115         /* guest CPU exception (as UL_EXIT_CRASH) */
#define UL_KVM_EXIT_KILLED 118        /* the debugger killed the guest (gdb's
                                         kill, or quitting gdb) */
#define UL_KVM_EXIT_VM_FAULT 119      /* the guest did something no guest
                                         should: touched memory outside RAM,
                                         stray port I/O, hlt with interrupts
                                         off, an exit KVM could not handle */
#define UL_KVM_EXIT_USAGE 120         /* bad command-line option */
#define UL_KVM_EXIT_BAD_IMAGE 121     /* the image cannot be loaded */
#define UL_KVM_EXIT_HOST 122          /* the host failed: no /dev/kvm, a KVM
                                         call, a TAP or disk file */
#define UL_KVM_EXIT_BAD_HYPERCALL 123 /* a hypercall broke the ABI */
#define UL_KVM_EXIT_TIMEOUT 124       /* --timeout ran out (as timeout(1)) */
#define UL_KVM_EXIT_TRIPLE_FAULT 125  /* the vCPU shut down (triple fault) */

#endif
