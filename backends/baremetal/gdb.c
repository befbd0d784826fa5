/* baremetal: the gdb stub's in-guest target (debugger/stub.h). gdb talks to
 * the image over COM2; the image stops in its #BP and #DB handlers (and on
 * a crash), serves gdb there from the exception frame, and resumes from
 * the frame as gdb left it. With break=1 it stops just before the app's
 * main; with gdb=listen it runs, and a gdb may attach at any time (its
 * first packet raises COM2's interrupt like a Ctrl-C). Ctrl-C raises COM2's interrupt, whose handler sets TF on the
 * interrupted code, so that the stop is in that code, one instruction on,
 * with all its registers in the #DB's frame. Memory is identity-mapped, so addresses are used as they are, but
 * only within the RAM the image maps: the stub must never fault itself. */
#include <unilab/cmdline.h>
#include <unilab/errno.h>
#include <unilab/string.h>

#include "bm.h"
#include "platform.h"
#include "stub.h"
#include "x86_64/cpu.h"
#include "x86_64/exception.h"
#include "x86_64/io.h"

#define COM2_IRQ 3
/* As unilab-kvm's status when gdb kills the guest. */
#define EXIT_KILLED 118

struct slot {
	bool used;
	enum ul_gdb_point kind;
	uint64_t addr, len;
};

static struct {
	bool attached;
	bool listening;    /* gdb=listen: a gdb may come at any time */
	bool step;         /* gdb asked for one instruction */
	bool interrupt;    /* gdb sent Ctrl-C: the next #DB reports it */
	int crash_signal;  /* gdb saw a crash: the end is an X */
	struct x86_exception_frame *frame;
	struct slot slot[X86_DEBUG_REGS];
	struct ul_gdb stub;
} s;

/* --- the line to gdb --- */

static int line_read(void *ctx, bool wait)
{
	int c;

	(void)ctx;
	/* A serial line cannot tell that gdb has gone: never UL_GDB_CLOSED. */
	while ((c = ul_bm_uart_read(BM_COM2)) < 0 && wait)
		__asm__ volatile("pause");
	return c < 0 ? UL_GDB_NO_DATA : c;
}

static bool line_write(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	ul_bm_uart_write(BM_COM2, buf, len);
	return true;
}

/* --- registers, from the exception frame --- */

static uint64_t *reg_ptr(enum ul_gdb_reg r)
{
	struct x86_exception_frame *f = s.frame;
	uint64_t *const regs[UL_GDB_EFLAGS + 1] = {
		[UL_GDB_RAX] = &f->rax, [UL_GDB_RBX] = &f->rbx,
		[UL_GDB_RCX] = &f->rcx, [UL_GDB_RDX] = &f->rdx,
		[UL_GDB_RSI] = &f->rsi, [UL_GDB_RDI] = &f->rdi,
		[UL_GDB_RBP] = &f->rbp, [UL_GDB_RSP] = &f->rsp,
		[UL_GDB_R8] = &f->r8, [UL_GDB_R9] = &f->r9,
		[UL_GDB_R10] = &f->r10, [UL_GDB_R11] = &f->r11,
		[UL_GDB_R12] = &f->r12, [UL_GDB_R13] = &f->r13,
		[UL_GDB_R14] = &f->r14, [UL_GDB_R15] = &f->r15,
		[UL_GDB_RIP] = &f->rip, [UL_GDB_EFLAGS] = &f->rflags,
	};
	return regs[r];
}

static int read_regs(void *ctx, struct ul_gdb_regs *r)
{
	uint16_t ds, es, fs, gs;

	(void)ctx;
	for (int i = UL_GDB_RAX; i <= UL_GDB_EFLAGS; i++)
		r->value[i] = *reg_ptr((enum ul_gdb_reg)i);
	__asm__ volatile("movw %%ds, %0; movw %%es, %1; movw %%fs, %2; "
	                 "movw %%gs, %3"
	                 : "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
	r->value[UL_GDB_CS] = s.frame->cs;
	r->value[UL_GDB_SS] = s.frame->ss;
	r->value[UL_GDB_DS] = ds;
	r->value[UL_GDB_ES] = es;
	r->value[UL_GDB_FS] = fs;
	r->value[UL_GDB_GS] = gs;
	r->value[UL_GDB_FS_BASE] = x86_rdmsr(X86_MSR_FS_BASE);
	r->value[UL_GDB_GS_BASE] = x86_rdmsr(X86_MSR_GS_BASE);
	r->valid = (1u << UL_GDB_NREGS) - 1;
	return 0;
}

/* A crashed context cannot go on, so changing it would mean nothing. */
static int write_reg(void *ctx, enum ul_gdb_reg r, uint64_t v)
{
	(void)ctx;
	if (s.crash_signal || r > UL_GDB_EFLAGS)
		return -UL_EPERM;
	uint64_t *p = reg_ptr(r);
	if (r == UL_GDB_EFLAGS)
		v = (*p & ~X86_RFLAGS_STATUS) | (v & X86_RFLAGS_STATUS);
	*p = v;
	return 0;
}

/* --- memory: identity-mapped RAM only (boot.S maps it writable, code
 * too, so int3 goes in with a plain store) --- */

static long read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	size_t n = 0;

	(void)ctx;
	while (n < len && ul_bm_memory_is_ram(addr + n, 1)) {
		((uint8_t *)buf)[n] = *(const volatile uint8_t *)(uintptr_t)(addr + n);
		n++;
	}
	return n > 0 ? (long)n : -UL_EFAULT;
}

static int write_mem(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	(void)ctx;
	if (!ul_bm_memory_is_ram(addr, len))
		return -UL_EFAULT;
	ul_memcpy((void *)(uintptr_t)addr, buf, len);
	return 0;
}

/* --- debug registers --- */

/* Whether one debug register covers len bytes at addr: 1, 2, 4 or 8,
 * aligned to itself. */
static bool one_register(uint64_t addr, uint64_t len)
{
	return (len == 1 || len == 2 || len == 4 || len == 8) && addr % len == 0;
}

static int hw_point(void *ctx, bool insert, enum ul_gdb_point kind,
                    uint64_t addr, uint64_t len)
{
	(void)ctx;
	if (kind == UL_GDB_WATCH_READ)
		return -UL_ENOSYS; /* x86 watches reads only with writes */
	if (kind == UL_GDB_HW_BREAK)
		len = 1;
	for (unsigned i = 0; i < X86_DEBUG_REGS; i++) {
		struct slot *sl = &s.slot[i];
		if (!insert && sl->used && sl->kind == kind && sl->addr == addr &&
		    sl->len == len) {
			sl->used = false;
			return 0;
		}
	}
	if (!insert)
		return -UL_EINVAL;
	if (!one_register(addr, len))
		return -UL_EINVAL; /* one register covers one aligned piece */
	for (unsigned i = 0; i < X86_DEBUG_REGS; i++)
		if (!s.slot[i].used) {
			s.slot[i] = (struct slot){true, kind, addr, len};
			return 0;
		}
	return -UL_ENOSPC;
}

static void load_debug_regs(void)
{
	static const int rw[] = {
		[UL_GDB_HW_BREAK] = X86_DR7_EXEC,
		[UL_GDB_WATCH_WRITE] = X86_DR7_WRITE,
		[UL_GDB_WATCH_ACCESS] = X86_DR7_ACCESS,
	};
	uint64_t dr7 = X86_DR7_FIXED, a[X86_DEBUG_REGS] = {0};

	for (unsigned i = 0; i < X86_DEBUG_REGS; i++) {
		const struct slot *sl = &s.slot[i];
		if (!sl->used)
			continue;
		a[i] = sl->addr;
		dr7 |= X86_DR7_LOCAL(i) | X86_DR7_EXACT |
		       X86_DR7_RW(i, rw[sl->kind]) |
		       X86_DR7_LEN(i, x86_dr7_len(sl->len));
	}
	__asm__ volatile("movq %0, %%dr0; movq %1, %%dr1; movq %2, %%dr2; "
	                 "movq %3, %%dr3; movq %4, %%dr7"
	                 :
	                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]),
	                   "r"(dr7));
}

/* Which debug registers matched, clearing DR6 for the next #DB (the CPU
 * never clears it itself). */
static uint64_t take_dr6(void)
{
	uint64_t dr6;

	__asm__ volatile("movq %%dr6, %0" : "=r"(dr6));
	__asm__ volatile("movq %0, %%dr6" : : "r"(0ull));
	return dr6;
}

static const struct ul_gdb_target target = {
	read_regs, write_reg, read_mem, write_mem, hw_point,
};
static const struct ul_gdb_transport transport = {line_read, line_write};

/* --- stopping and going on --- */

static void new_session(void)
{
	const struct ul_gdb_thread_syms syms = {
		(uintptr_t)&ul_main_thread, (uintptr_t)&ul_current,
		(uintptr_t)&ul_debug_info,
	};

	ul_gdb_init(&s.stub, &transport, NULL, &target, NULL);
	ul_gdb_set_threads(&s.stub, &syms);
}

/* Show gdb the stop and do what it says. */
static void stop(const struct ul_gdb_stop *why)
{
	switch (ul_gdb_stopped(&s.stub, why)) {
	case UL_GDB_KILL:
		s.attached = false;
		ul_printf("baremetal: gdb killed the image\n");
		ul_plat_exit(EXIT_KILLED);
	case UL_GDB_DETACH:
		ul_memset(s.slot, 0, sizeof(s.slot));
		s.attached = false;
		s.step = false;
		ul_printf("baremetal: gdb detached; the image runs on\n");
		if (s.listening)
			new_session(); /* for the next gdb */
		break;
	case UL_GDB_STEP:
		s.step = true;
		break;
	case UL_GDB_CONTINUE:
		s.step = false;
		break;
	}
	load_debug_regs();
}

/* Why the CPU trapped, in gdb's terms. */
static void why_trapped(struct x86_exception_frame *f, struct ul_gdb_stop *why)
{
	uint64_t hits;

	if (f->vector != X86_EXC_DB) {
		/* An int3 traps after itself: gdb wants the address of its
		 * breakpoint, where the image resumes once it is out. One
		 * that is not gdb's is the program's own (break=1's). */
		if (ul_gdb_is_sw_break(&s.stub, f->rip - 1)) {
			f->rip--;
			why->breakpoint = true;
			why->kind = UL_GDB_SW_BREAK;
		}
		return;
	}
	hits = take_dr6() & X86_DR6_HITS;
	for (unsigned i = 0; i < X86_DEBUG_REGS; i++) {
		const struct slot *sl = &s.slot[i];
		if (!(hits & (1u << i)) || !sl->used)
			continue;
		why->kind = sl->kind;
		why->breakpoint = sl->kind == UL_GDB_HW_BREAK;
		why->watchpoint = !why->breakpoint;
		why->watch_addr = sl->addr;
	}
}

static void trap(struct x86_exception_frame *f)
{
	struct ul_gdb_stop why = {.signal = UL_GDB_SIGTRAP};

	f->rflags &= ~X86_RFLAGS_TF;
	why_trapped(f, &why);
	if (s.interrupt && f->vector == X86_EXC_DB && !why.breakpoint &&
	    !why.watchpoint)
		why.signal = UL_GDB_SIGINT;
	s.interrupt = false;
	stop(&why);
	/* RF: an instruction breakpoint at the resume address must not fire
	 * again at once. */
	f->rflags |= X86_RFLAGS_RF | (s.step ? X86_RFLAGS_TF : 0);
}

bool ul_bm_gdb_exception(struct x86_exception_frame *f)
{
	if (!s.attached)
		return false;
	s.frame = f;
	if (f->vector == X86_EXC_DB || f->vector == X86_EXC_BP) {
		trap(f);
		return true;
	}
	struct ul_gdb_stop why = {.signal = ul_gdb_exception_signal(f->vector)};
	s.crash_signal = why.signal;
	stop(&why); /* gdb may look; then the crash report ends the image */
	return false;
}

void ul_bm_gdb_exit(int status)
{
	if (!s.attached)
		return;
	s.attached = false;
	if (s.crash_signal)
		ul_gdb_terminated(&s.stub, s.crash_signal);
	else
		ul_gdb_exited(&s.stub, status);
}

/* Input on COM2: a Ctrl-C from gdb, or a gdb arriving at an image that
 * listens; either stops the interrupted code one instruction on. */
static void line_interrupt(void)
{
	if (s.attached ? ul_gdb_interrupted(&s.stub)
	               : s.listening && ul_gdb_arriving(&s.stub)) {
		if (!s.attached) {
			s.attached = true;
			ul_gdb_set_attached_late(&s.stub);
		}
		s.interrupt = true;
		*ul_bm_irq_rflags() |= X86_RFLAGS_TF;
	}
}

static bool option_is(const char *key, const char *value)
{
	const char *v = ul_option(key);
	return v && ul_strcmp(v, value) == 0;
}

void ul_bm_gdb_start(void)
{
	bool wait = option_is("break", "1");

	s.listening = option_is("gdb", "listen");
	if (!wait && !s.listening)
		return;
	ul_bm_uart_init(BM_COM2);
	new_session();
	ul_bm_uart_interrupt_on_input(BM_COM2, COM2_IRQ, BM_VEC_GDB, line_interrupt);
	if (!wait) {
		ul_printf("baremetal: gdb may attach at any time on the second "
		          "serial port\n");
		return;
	}
	s.attached = true;
	ul_printf("baremetal: waiting for gdb on the second serial port\n");
	__asm__ volatile("int3");
}
