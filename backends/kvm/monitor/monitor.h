/* unilab-kvm: what the monitor's modules share. One VM, one vCPU, one
 * thread; each module owns one concern (options, ELF, memory, vCPU state,
 * the exit loop, one device each). */
#ifndef UL_KVM_MONITOR_H
#define UL_KVM_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "disk.h"
#include "host_net.h"

#define MONITOR_NAME "unilab-kvm"

/* Where in the boot page (after the GDT, TSS and I/O bitmap) the boot info
 * goes. */
#define BOOT_INFO_GPA (UL_KVM_BOOT_PAGE + 0x200)

struct kvm_run;

/* --- command line (options.c) --- */
struct options {
	uint64_t mem_size;   /* 0: sized for the image */
	struct ul_host_net_spec net[UL_KVM_MAX_NET]; /* --net=, parsed */
	unsigned net_count;
	const char *pcap;     /* --pcap=FILE, or NULL */
	const char *disk[UL_KVM_MAX_BLOCK]; /* disk image paths */
	unsigned disk_count;
	bool trace_boot;
	bool stats;           /* --stats: print statistics at the end */
	uint64_t timeout_us;  /* 0: none */
	bool gdb;             /* --gdb: wait for gdb on gdb_port (0: any) */
	unsigned gdb_port;
	bool no_sandbox;      /* --no-sandbox: no seccomp filter (debugging) */
	bool gdb_listen;      /* --gdb-listen: accept gdb on gdb_listen_port */
	unsigned gdb_listen_port;
	const char *dumpcore; /* --dumpcore=DIR, or NULL */
	bool on_demand;       /* --on-demand: boot on the first frame */
	bool keep_serving;    /* --on-demand=keep-serving: past a failed guest */
	const char *image;
	int app_argc;         /* arguments after IMAGE, for the guest */
	char **app_argv;
};
void options_parse(int argc, char **argv, struct options *opt);

/* --- failures and boot trace (report.c) --- */
/* Print "unilab-kvm: MESSAGE" on stderr and exit with status. */
_Noreturn void fatal(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Exit with status, after the boot trace if one was asked for. */
_Noreturn void monitor_exit(int status);

enum trace_phase {
	TRACE_START,        /* monitor start */
	TRACE_VM_CREATED,   /* VM, memory slot and vCPU exist */
	TRACE_IMAGE_LOADED, /* segments, page tables, boot info in place */
	TRACE_VCPU_ENTERED, /* first KVM_RUN */
	TRACE_FIRST_OUTPUT, /* the guest's first console write */
	TRACE_APP_MAIN,     /* the guest reached the app's ul_main */
	TRACE_EXIT,         /* the guest asked to exit (or died) */
	TRACE_PHASES
};
void trace_enable(void);
bool trace_enabled(void);
void trace_mark(enum trace_phase phase); /* first mark of a phase counts */
/* Forget the marks and start again now: each VM of --on-demand has its
 * own trace, from the frame that woke it. */
void trace_restart(void);

/* --- guest memory (memory.c) --- */
struct guest_mem {
	uint8_t *base; /* host mapping of guest physical 0 */
	uint64_t size;
};
void guest_mem_alloc(struct guest_mem *mem, uint64_t size);
/* THE check for every guest address the monitor touches: the host pointer
 * for [gpa, gpa + len) when that range lies inside guest memory above the
 * NULL page and gpa is a multiple of align; NULL otherwise. len may be 0. */
void *guest_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len,
                uint64_t align);
/* The guest-physical address that virtual address va has in the guest's
 * own page tables (at cr3), and in *room how many bytes of its page
 * follow; false when va is not mapped. For the gdb stub, which speaks in
 * the guest's virtual addresses. */
bool guest_translate(const struct guest_mem *mem, uint64_t cr3, uint64_t va,
                     uint64_t *gpa, uint64_t *room);
/* Up to len bytes at virtual address va: how many could be read (up to
 * the first unmapped byte), or -UL_EFAULT if not even one. */
long guest_read_virt(const struct guest_mem *mem, uint64_t cr3, uint64_t va,
                     void *buf, size_t len);

/* --- the image (elf.c, symbols.c) --- */
#define IMAGE_MAX_SEGMENTS 16
struct segment {
	uint64_t addr, filesz, memsz, offset;
	uint32_t flags; /* PF_R | PF_W | PF_X */
};
struct image {
	const char *path;
	int fd;
	uint64_t file_size;
	uint64_t entry;
	uint64_t end; /* highest segment end */
	unsigned nsegments;
	struct segment seg[IMAGE_MAX_SEGMENTS];
};
/* Check the ELF headers; refuses (UL_KVM_EXIT_BAD_IMAGE) anything that is
 * not a well-formed x86_64 executable fitting the guest memory layout. */
void image_open(struct image *img, const char *path);
/* Refuse an image that does not fit in mem_size bytes of guest memory. */
void image_check_fits(const struct image *img, uint64_t mem_size);
void image_load(const struct image *img, const struct guest_mem *mem);
/* Read exactly len bytes at file offset off; false if the file is shorter
 * or the read fails. */
bool image_read(const struct image *img, void *buf, uint64_t len,
                uint64_t off);
/* The function symbol containing addr, as "name+0xoff", into buf; "" when
 * the image has no symbol there. */
void image_symbolize(const struct image *img, uint64_t addr, char *buf,
                     size_t len);
/* The address of the symbol called name; false when there is none. */
bool image_lookup(const struct image *img, const char *name, uint64_t *addr);

/* --- the machine --- */
struct vm {
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
	struct guest_mem mem;
	struct image image;
	struct ul_host_disk block[UL_KVM_MAX_BLOCK]; /* block.c */
	unsigned block_count;
	uint64_t timeout_us;
};

/* vm.c: the KVM objects. vm_create opens /dev/kvm unless vm_open_kvm
 * did; vm_destroy closes the VM and vCPU but keeps /dev/kvm open. */
void vm_open_kvm(struct vm *vm);
void vm_create(struct vm *vm);
void vm_destroy(struct vm *vm);
uint64_t vm_tsc_khz(const struct vm *vm);
uint64_t vm_rip(const struct vm *vm); /* for reports after an exit */

/* cpu.c: page tables, GDT, TSS and registers for a start in long mode. */
void cpu_setup(struct vm *vm);

/* bootinfo.c: the boot page and the strings page. */
void boot_info_write(struct vm *vm, const struct options *opt,
                     uint64_t tsc_khz);

/* run.c: the exit loop; never returns. timeout_arm starts vm->timeout_us
 * running and, with report_on_signal, makes SIGINT and SIGTERM end the guest
 * through monitor_exit (status 128 + signal) to print statistics; both before
 * the sandbox, which does not allow setting timers. */
void timeout_arm(struct vm *vm, bool report_on_signal);
_Noreturn void vm_run(struct vm *vm);

/* sandbox.c: from here on, only the system calls the run loop needs for
 * these options (or, with --no-sandbox, say that there is no filter);
 * core_fd: the --dumpcore folder, the only one a core file may be made in. */
void sandbox_enter(const struct options *opt, int core_fd);

/* hypercall.c: one call from the guest, port already decoded. */
void hypercall(struct vm *vm, unsigned nr, uint64_t arg_gpa);
/* For the handlers: the argument struct of a call, or a bad-hypercall exit
 * that names the call. */
void *hypercall_arg(struct vm *vm, unsigned nr, uint64_t gpa, uint64_t size);
/* A buffer named in an argument struct, or a bad-hypercall exit. */
void *hypercall_buf(struct vm *vm, unsigned nr, const char *what,
                    uint64_t gpa, uint64_t len);
const char *hypercall_name(unsigned nr);

/* The handlers, one per device. */
void hc_console(struct vm *vm, uint64_t gpa);
void hc_poll(struct vm *vm, uint64_t gpa);
void hc_exit(struct vm *vm, uint64_t gpa);
void hc_abort(struct vm *vm, uint64_t gpa);
void hc_net_rings(struct vm *vm, uint64_t gpa);
void hc_net_flush(struct vm *vm, uint64_t gpa);
void hc_block_ring(struct vm *vm, uint64_t gpa);
void hc_block_kick(struct vm *vm, uint64_t gpa);
void hc_trace(struct vm *vm, uint64_t gpa);
void hc_debug(struct vm *vm, uint64_t gpa);
void hc_entropy(struct vm *vm, uint64_t gpa);

/* crash.c: the report of a guest CPU exception; exits. */
_Noreturn void crash_report(const struct vm *vm, const struct ul_kvm_abort *a);

/* coredump.c: --dumpcore. core_init opens DIR (a bad one is a usage
 * error); core_note_crash keeps the context of a CPU exception the guest
 * passed on; monitor_exit calls core_on_exit, which writes the core when
 * the status says the guest crashed. */
void core_init(struct vm *vm, const char *dir);
void core_note_crash(const struct ul_kvm_abort *a);
int core_dir_fd(void); /* the DIR of --dumpcore, -1 without it */
void core_on_exit(int status);

/* gdb.c: the gdb stub. gdb_catch_signals sets up the signals the stub
 * runs on (SIGIO from gdb's socket; SIGUSR1, a request to gdb_listen on
 * a free port). gdb_start waits for gdb on 127.0.0.1:port (0: a free
 * port, printed) and serves it before the guest's first instruction;
 * from then on gdb decides when the guest runs. gdb_listen lets gdb
 * attach while the guest runs (the guest stops when it does, and runs on
 * after it detaches or goes). The rest are the hooks of the exit loop,
 * the crash report and the exit, and do nothing when no gdb is
 * attached. */
void gdb_catch_signals(struct vm *vm);
void gdb_start(struct vm *vm, unsigned port);
/* 0, or -1 with errno when the port cannot be had. */
int gdb_listen(struct vm *vm, unsigned port);
void gdb_poll(struct vm *vm);      /* after any exit: did gdb send Ctrl-C? */
void gdb_crash(struct vm *vm, const struct ul_kvm_abort *a);
void gdb_report_exit(int status);

/* ring.c: what the net and block rings share (abi.h). When the guest
 * registers a ring, ring_check returns where it lies (a bad size or place
 * ends the guest, naming the call) and ring_attach starts it; ring_pending reads avail once and ends a guest whose avail
 * jumped; ring_next is the descriptor at used, in guest memory (copy each
 * field once); ring_release hands it back. */
struct ring {
	const char *name;     /* "net0 tx", "disk1": for messages */
	uint32_t *avail;      /* host pointers into the guest's ring */
	uint32_t *used_shared;
	uint8_t *desc;
	uint64_t desc_bytes;
	uint32_t size;        /* a power of two */
	uint32_t used;        /* ours; the guest's copy is only written */
};
uint8_t *ring_check(struct vm *vm, unsigned call, const char *name,
                   uint64_t gpa, uint32_t size, uint64_t desc_bytes);
void ring_attach(struct ring *r, const char *name, uint8_t *shared,
                 uint32_t size, uint64_t desc_bytes);
uint32_t ring_pending(struct vm *vm, const struct ring *r);
void *ring_next(const struct ring *r);
void ring_release(struct ring *r);
_Noreturn void ring_lies(struct vm *vm, const struct ring *r,
                         const char *what, unsigned long long a,
                         unsigned long long b);

/* ring_net.c: the net rings. ring_net_service sends every tx ring's frames
 * and fills the rx rings; ring_net_rx only fills. Both return the devices
 * whose rx ring got frames (bit i for net i). */
uint32_t ring_net_service(struct vm *vm);
uint32_t ring_net_rx(struct vm *vm);
void ring_net_reset(void); /* forget the rings of a VM that is gone */
void ring_block_reset(void); /* the same for the block rings */

/* ondemand.c: --on-demand. ondemand_serve waits for the first frame for
 * the guest, boots a VM, and again after each VM's end; never returns.
 * ondemand_recv: a frame for the guest, those held while it booted
 * first (ul_host_net_recv's contract). ondemand_vm_ended: called by
 * monitor_exit; with a VM of --on-demand running, ends that VM's life
 * instead of the monitor's (does not return). */
_Noreturn void ondemand_serve(struct vm *vm, const struct options *opt,
                              uint64_t mem);
long ondemand_recv(unsigned dev, void *buf, size_t cap);
void ondemand_vm_ended(int status);

/* stats.c: counters, printed at the end with --stats. */
struct net_stats {
	uint64_t tx_frames, tx_dropped;
	uint64_t tx_kicks; /* exits that found tx frames to send */
	uint64_t rx_frames;
	uint64_t rx_wakes; /* exits that put frames in the rx ring */
};
struct monitor_stats {
	uint64_t hypercalls[UL_KVM_HC_COUNT]; /* exits, by call */
	uint64_t interrupted; /* KVM_RUN ended by a signal (--timeout, gdb) */
	uint64_t sleeps;      /* poll calls that found nothing and slept */
	uint64_t timeouts;    /* ... and woke with nothing: a guest timer */
	uint64_t lingers;     /* poll calls that waited for a frame behind an ACK */
	uint64_t block_requests; /* done from the block rings */
	struct net_stats net[UL_KVM_MAX_NET];
};
extern struct monitor_stats stats;
void stats_enable(void);
void stats_print(void);

/* Attach the --net= interfaces in order and start the --pcap= recording. */
void net_open(const struct options *opt);
void block_open(struct vm *vm, const char *path);

#endif
