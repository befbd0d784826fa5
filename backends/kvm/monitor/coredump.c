/* unilab-kvm: the core file of a crashed guest (--dumpcore=DIR), an ELF
 * core as Linux writes for a process, so that `gdb IMAGE CORE` shows the
 * crash: the guest memory its page tables map at their own address (the
 * monitor maps RAM one to one) as PT_LOAD segments, and one NT_PRSTATUS
 * note per thread of the core, the crashing one first, read through the
 * ul_debug_info descriptor as the gdb stub reads them.
 *
 * The guest is untrusted here too: the file's name and folder are the
 * monitor's, it is created new (never through a link, never over a file),
 * every byte written comes from guest RAM through guest_ptr, and each RAM
 * page is written at most once, so the file is never larger than the
 * guest memory plus the headers and notes, whose count is bounded. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/procfs.h>
#include <sys/user.h>
#include <unistd.h>

#include <unilab/errno.h>
#include <unilab/panic.h>

#include "monitor.h"
#include "stub.h"

#define CORE_MAX_THREADS 1024
#define CORE_MAX_SEGMENTS 4096 /* more runs than that: one segment */
#define NOTE_OWNER "CORE"      /* what Linux and gdb expect */

static struct {
	struct vm *vm;
	int dir_fd; /* -1: no core files */
	const char *dir;
	bool written;
	bool have_crash;
	struct ul_kvm_abort crash; /* the exception the guest passed on */
	struct kvm_sregs sregs;
	struct ul_gdb_regs cpu; /* the crashing context */
} c = {.dir_fd = -1};

/* A run of guest pages mapped at their own address. */
struct run {
	uint64_t start, end;
};

void core_init(struct vm *vm, const char *dir)
{
	c.vm = vm;
	c.dir = dir;
	c.dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c.dir_fd < 0)
		fatal(UL_KVM_EXIT_USAGE, "--dumpcore=%s: cannot open the folder: %s",
		      dir, strerror(errno));
}

void core_note_crash(const struct ul_kvm_abort *a)
{
	c.crash = *a;
	c.have_crash = true;
}

/* The signal the core shows (Linux numbers, which gdb reads in a Linux
 * core), or 0 when status is not a crash. */
static int crash_signal(int status)
{
	switch (status) {
	case UL_KVM_EXIT_CRASH:
		if (!c.have_crash)
			return SIGSEGV;
		int sig = ul_gdb_exception_signal(c.crash.vector);
		return sig == UL_GDB_SIGBUS ? SIGBUS : sig; /* the one that differs */
	case UL_EXIT_PANIC:
	case UL_EXIT_ASSERT:
		return SIGABRT;
	case UL_KVM_EXIT_VM_FAULT:
	case UL_KVM_EXIT_BAD_HYPERCALL:
	case UL_KVM_EXIT_TRIPLE_FAULT:
		return SIGSEGV;
	default:
		return 0;
	}
}

/* --- the crashing context, as the stub's target --- */

static void set(struct ul_gdb_regs *r, enum ul_gdb_reg n, uint64_t v)
{
	r->value[n] = v;
	r->valid |= 1u << n;
}

/* From the exception's frame when the guest passed one, else from the
 * vCPU (a panic's exit call, a bad hypercall, a triple fault). */
static bool fetch_context(void)
{
	struct kvm_regs k;
	const struct ul_kvm_abort *a = &c.crash;
	struct ul_gdb_regs *r = &c.cpu;

	if (ioctl(c.vm->vcpu_fd, KVM_GET_SREGS, &c.sregs) < 0)
		return false;
	if (!c.have_crash) {
		if (ioctl(c.vm->vcpu_fd, KVM_GET_REGS, &k) < 0)
			return false;
		c.crash = (struct ul_kvm_abort){
			.rip = k.rip, .rflags = k.rflags, .rsp = k.rsp,
			.cs = c.sregs.cs.selector, .ss = c.sregs.ss.selector,
			.rax = k.rax, .rbx = k.rbx, .rcx = k.rcx, .rdx = k.rdx,
			.rsi = k.rsi, .rdi = k.rdi, .rbp = k.rbp,
			.r8 = k.r8, .r9 = k.r9, .r10 = k.r10, .r11 = k.r11,
			.r12 = k.r12, .r13 = k.r13, .r14 = k.r14, .r15 = k.r15,
		};
	}
	const uint64_t v[UL_GDB_NREGS] = {
		a->rax, a->rbx, a->rcx, a->rdx, a->rsi, a->rdi, a->rbp, a->rsp,
		a->r8, a->r9, a->r10, a->r11, a->r12, a->r13, a->r14, a->r15,
		a->rip, a->rflags, a->cs, a->ss,
		c.sregs.ds.selector, c.sregs.es.selector, c.sregs.fs.selector,
		c.sregs.gs.selector, c.sregs.fs.base, c.sregs.gs.base,
	};
	for (int i = 0; i < UL_GDB_NREGS; i++)
		set(r, (enum ul_gdb_reg)i, v[i]);
	return true;
}

static int read_regs(void *ctx, struct ul_gdb_regs *r)
{
	(void)ctx;
	*r = c.cpu;
	return 0;
}

static long read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	return guest_read_virt(&c.vm->mem, c.sregs.cr3, addr, buf, len);
}

static const struct ul_gdb_target target = {.read_regs = read_regs,
                                             .read_mem = read_mem};

/* --- the notes --- */

struct notes {
	uint8_t *buf;
	size_t len;
};

static void note_add(struct notes *n, uint32_t type, const void *desc,
                     size_t size)
{
	Elf64_Nhdr h = {.n_namesz = sizeof(NOTE_OWNER), .n_descsz = (uint32_t)size,
	                .n_type = type};
	char owner[8] = NOTE_OWNER; /* the name, padded to 4 bytes */

	memcpy(n->buf + n->len, &h, sizeof(h));
	memcpy(n->buf + n->len + sizeof(h), owner, sizeof(owner));
	memcpy(n->buf + n->len + sizeof(h) + sizeof(owner), desc, size);
	n->len += sizeof(h) + sizeof(owner) + ((size + 3) & ~(size_t)3);
}

#define NOTE_SIZE(desc) (sizeof(Elf64_Nhdr) + 8 + ((sizeof(desc) + 3) & ~3ul))

/* gdb's registers in the order of Linux's user_regs_struct; a register a
 * switched-out thread did not save (the caller-saved ones) reads 0. */
static void prstatus_add(struct notes *n, long id, int sig,
                         const struct ul_gdb_regs *r)
{
	struct elf_prstatus st;
	struct user_regs_struct u;
#define R(n) ((r->valid & (1u << (n))) ? r->value[n] : 0)
	u = (struct user_regs_struct){
		.r15 = R(UL_GDB_R15), .r14 = R(UL_GDB_R14), .r13 = R(UL_GDB_R13),
		.r12 = R(UL_GDB_R12), .rbp = R(UL_GDB_RBP), .rbx = R(UL_GDB_RBX),
		.r11 = R(UL_GDB_R11), .r10 = R(UL_GDB_R10), .r9 = R(UL_GDB_R9),
		.r8 = R(UL_GDB_R8), .rax = R(UL_GDB_RAX), .rcx = R(UL_GDB_RCX),
		.rdx = R(UL_GDB_RDX), .rsi = R(UL_GDB_RSI), .rdi = R(UL_GDB_RDI),
		.orig_rax = (unsigned long long)-1, .rip = R(UL_GDB_RIP),
		.cs = R(UL_GDB_CS), .eflags = R(UL_GDB_EFLAGS),
		.rsp = R(UL_GDB_RSP), .ss = R(UL_GDB_SS),
		.fs_base = R(UL_GDB_FS_BASE), .gs_base = R(UL_GDB_GS_BASE),
		.ds = R(UL_GDB_DS), .es = R(UL_GDB_ES), .fs = R(UL_GDB_FS),
		.gs = R(UL_GDB_GS),
	};
#undef R
	_Static_assert(sizeof(u) == sizeof(st.pr_reg), "register set size");
	memset(&st, 0, sizeof(st));
	st.pr_info.si_signo = sig;
	st.pr_cursig = (short)sig;
	st.pr_pid = (pid_t)id;
	memcpy(&st.pr_reg, &u, sizeof(u));
	note_add(n, NT_PRSTATUS, &st, sizeof(st));
}

/* The image's name and command line, as `info` and gdb's banner show. */
static void prpsinfo_add(struct notes *n)
{
	struct elf_prpsinfo ps;
	const char *path = c.vm->image.path, *base = strrchr(path, '/');

	memset(&ps, 0, sizeof(ps));
	ps.pr_sname = 'R';
	strncpy(ps.pr_fname, base ? base + 1 : path, sizeof(ps.pr_fname) - 1);
	strncpy(ps.pr_psargs, path, sizeof(ps.pr_psargs) - 1);
	note_add(n, NT_PRPSINFO, &ps, sizeof(ps));
}

/* Whether id is among the first n: a damaged list may repeat one. */
static bool seen(const long *ids, size_t n, long id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The crashing thread first (gdb takes the first as the current one),
 * then the others in creation order; one thread when the image has no
 * thread list. Each note carries the signal, as Linux's do: readers take
 * it from any of them. */
static unsigned threads_add(struct notes *n, int sig, long *ids)
{
	struct ul_gdb g;
	struct ul_gdb_thread_syms syms;
	struct ul_gdb_regs r;
	const struct image *img = &c.vm->image;
	size_t count = 0;

	ul_gdb_init(&g, NULL, NULL, &target, NULL);
	if (image_lookup(img, "ul_main_thread", &syms.main_thread) &&
	    image_lookup(img, "ul_current", &syms.current) &&
	    image_lookup(img, "ul_debug_info", &syms.debug_info))
		ul_gdb_set_threads(&g, &syms);
	long current = ul_gdb_thread_current(&g);
	prstatus_add(n, current, sig, &c.cpu);
	count = ul_gdb_thread_list(&g, 0, ids, CORE_MAX_THREADS);
	unsigned written = 1;
	for (size_t i = 0; i < count; i++) {
		if (ids[i] == current || seen(ids, i, ids[i]) ||
		    ul_gdb_thread_regs(&g, ids[i], &r) < 0)
			continue;
		prstatus_add(n, ids[i], sig, &r);
		written++;
	}
	return written;
}

/* --- memory --- */

/* The runs of RAM pages mapped at their own address in the guest's page
 * tables, past the NULL page; each page once, so their total is at most
 * the guest memory. NULL when there are too many (then one segment). */
static size_t find_runs(struct run *runs)
{
	const struct guest_mem *mem = &c.vm->mem;
	size_t n = 0;
	uint64_t gpa, room;

	for (uint64_t va = UL_KVM_PAGE; va < mem->size; va += UL_KVM_PAGE) {
		if (!guest_translate(mem, c.sregs.cr3, va, &gpa, &room) ||
		    gpa != va)
			continue;
		if (n > 0 && runs[n - 1].end == va) {
			runs[n - 1].end = va + UL_KVM_PAGE;
			continue;
		}
		if (n == CORE_MAX_SEGMENTS)
			break;
		runs[n++] = (struct run){va, va + UL_KVM_PAGE};
	}
	/* Unusable page tables (perhaps why it crashed), or too fragmented:
	 * all of RAM as it is. */
	if (n == 0 || n == CORE_MAX_SEGMENTS) {
		runs[0] = (struct run){UL_KVM_PAGE, mem->size};
		n = 1;
	}
	return n;
}

static bool write_at(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t w = pwrite(fd, p, len, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		len -= (size_t)w;
		off += (uint64_t)w;
	}
	return true;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* A page at a time; a page of zeros (most of an idle guest's heap) is
 * left as a hole, so the file takes the disk space of the RAM in use. */
static bool write_ram(int fd, const uint8_t *p, uint64_t len, uint64_t off)
{
	for (uint64_t done = 0; done < len; done += UL_KVM_PAGE)
		if (!all_zero(p + done, UL_KVM_PAGE) &&
		    !write_at(fd, p + done, UL_KVM_PAGE, off + done))
			return false;
	return true;
}

static bool write_core(int fd, const struct notes *notes,
                       const struct run *runs, size_t nruns,
                       uint64_t *size)
{
	Elf64_Ehdr eh = {
		.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
		            ELFDATA2LSB, EV_CURRENT, ELFOSABI_NONE},
		.e_type = ET_CORE, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = (uint16_t)(1 + nruns),
	};
	uint64_t notes_off = sizeof(eh) + (1 + nruns) * sizeof(Elf64_Phdr);
	uint64_t off = (notes_off + notes->len + UL_KVM_PAGE - 1) &
	               ~(uint64_t)(UL_KVM_PAGE - 1);
	Elf64_Phdr ph = {.p_type = PT_NOTE, .p_offset = notes_off,
	                 .p_filesz = notes->len, .p_align = 4};

	if (!write_at(fd, &eh, sizeof(eh), 0) ||
	    !write_at(fd, &ph, sizeof(ph), eh.e_phoff) ||
	    !write_at(fd, notes->buf, notes->len, notes_off))
		return false;
	for (size_t i = 0; i < nruns; i++) {
		uint64_t len = runs[i].end - runs[i].start;
		const void *p = guest_ptr(&c.vm->mem, runs[i].start, len, 1);
		ph = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
		                  .p_offset = off, .p_vaddr = runs[i].start,
		                  .p_paddr = runs[i].start, .p_filesz = len,
		                  .p_memsz = len, .p_align = UL_KVM_PAGE};
		if (!p || !write_at(fd, &ph, sizeof(ph),
		                    eh.e_phoff + (1 + i) * sizeof(ph)) ||
		    !write_ram(fd, p, len, off))
			return false;
		off += len;
	}
	*size = off;
	return ftruncate(fd, (off_t)off) == 0; /* the holes at the end */
}

/* core.NAME.PID, NAME the image's file name without ".kvm". */
static void core_name(char *buf, size_t size)
{
	const char *path = c.vm->image.path, *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".kvm") == 0)
		len -= 4;
	snprintf(buf, size, "core.%.*s.%d", (int)len, base, (int)getpid());
}

static void dump(int sig)
{
	static struct run runs[CORE_MAX_SEGMENTS];
	static long ids[CORE_MAX_THREADS];
	static uint8_t note_buf[NOTE_SIZE(struct elf_prpsinfo) +
	                        (CORE_MAX_THREADS + 1) *
	                                NOTE_SIZE(struct elf_prstatus)];
	struct notes notes = {.buf = note_buf};
	char name[64];
	uint64_t size = 0;

	if (!fetch_context()) {
		fprintf(stderr, MONITOR_NAME ": no core file: cannot read the "
		        "vCPU's registers: %s\n", strerror(errno));
		return;
	}
	prpsinfo_add(&notes);
	unsigned threads = threads_add(&notes, sig, ids);
	size_t nruns = find_runs(runs);
	core_name(name, sizeof(name));
	int fd = openat(c.dir_fd, name,
	                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, MONITOR_NAME ": no core file: cannot create "
		        "%s/%s: %s\n", c.dir, name, strerror(errno));
		return;
	}
	bool ok = write_core(fd, &notes, runs, nruns, &size);
	int saved = errno;
	if (close(fd) < 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		unlinkat(c.dir_fd, name, 0); /* no half a core */
		fprintf(stderr, MONITOR_NAME ": no core file: writing %s/%s "
		        "failed: %s\n", c.dir, name,
		        saved ? strerror(saved) : "short write");
		return;
	}
	fprintf(stderr, MONITOR_NAME ": core file %s/%s (%u thread%s, %llu "
	        "KiB): gdb %s %s/%s\n", c.dir, name, threads,
	        threads == 1 ? "" : "s", (unsigned long long)(size >> 10),
	        c.vm->image.path, c.dir, name);
}

void core_on_exit(int status)
{
	int sig = crash_signal(status);

	if (c.dir_fd < 0 || c.written || sig == 0)
		return;
	c.written = true; /* once, even if writing it ends in a fatal() */
	fflush(stdout);
	dump(sig);
}
