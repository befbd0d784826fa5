/* unilab-kvm: the gdb stub's kvm target (debugger/stub.h). The guest stops
 * before its first instruction, on Ctrl-C, on a debug exception its
 * handler passes on (abi.h, UL_KVM_HC_DEBUG: breakpoints, steps, debug
 * registers) and on a crash; gdb sees its registers through the KVM
 * ioctls or the context the handler passed, and its memory through the
 * guest's own page tables.
 *
 * Breakpoints and steps go through the guest's exception handler rather
 * than KVM_SET_GUEST_DEBUG because kvm_pvm delivers #BP and #DB raised in
 * user mode (where Unilab guests run) straight to the guest: measured, an
 * int3 under KVM_GUESTDBG_USE_SW_BP reaches the guest's IDT, and
 * KVM_GUESTDBG_SINGLESTEP only reports the instructions KVM emulates. The
 * guest's handler works on every KVM. */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "exception_gate.h"
#include "gdb_kvm.h"
#include "gdb_tcp.h"
#include "x86_64/cpu.h"
#include "x86_64/exception.h"

enum context {
	CTX_VCPU,  /* between instructions: the vCPU's registers */
	CTX_TRAP,  /* in a debug exception: the context the guest's handler
	              passed and will resume with */
	CTX_CRASH, /* in a fatal exception: its context, which cannot resume */
};

static struct {
	struct vm *vm;
	bool attached;
	struct ul_gdb stub;
	struct gdb_tcp conn;
	enum context ctx;
	struct ul_kvm_debug *frame; /* CTX_TRAP, CTX_CRASH */
	struct ul_kvm_debug crashed; /* CTX_CRASH: the abort, as a frame */
	struct kvm_regs regs;       /* CTX_VCPU */
	bool regs_dirty;
	struct kvm_sregs sregs;     /* segments, their bases and cr3 */
	bool step;                  /* gdb asked for one instruction */
	bool interrupt;             /* gdb sent Ctrl-C, not yet reported */
	bool trap_armed;            /* trap_on_return set TF for it */
	int crash_signal;           /* gdb saw a crash: the end is an X */
} s;

/* SIGIO: gdb sent something, or a gdb is connecting, while the guest
 * runs. SIGUSR1: someone asks the monitor to listen for gdb, on the port
 * that came with the signal (sigqueue) or on any free one. */
static volatile sig_atomic_t input, listen_asked, listen_port_asked;
static struct kvm_run *input_run;
static int listen_fd = -1; /* accepting gdb while the guest runs */
static unsigned listen_port;

/* --- registers --- */

#define VCPU_REG(f) offsetof(struct kvm_regs, f)
static const size_t vcpu_offset[UL_GDB_EFLAGS + 1] = {
	[UL_GDB_RAX] = VCPU_REG(rax), [UL_GDB_RBX] = VCPU_REG(rbx),
	[UL_GDB_RCX] = VCPU_REG(rcx), [UL_GDB_RDX] = VCPU_REG(rdx),
	[UL_GDB_RSI] = VCPU_REG(rsi), [UL_GDB_RDI] = VCPU_REG(rdi),
	[UL_GDB_RBP] = VCPU_REG(rbp), [UL_GDB_RSP] = VCPU_REG(rsp),
	[UL_GDB_R8] = VCPU_REG(r8), [UL_GDB_R9] = VCPU_REG(r9),
	[UL_GDB_R10] = VCPU_REG(r10), [UL_GDB_R11] = VCPU_REG(r11),
	[UL_GDB_R12] = VCPU_REG(r12), [UL_GDB_R13] = VCPU_REG(r13),
	[UL_GDB_R14] = VCPU_REG(r14), [UL_GDB_R15] = VCPU_REG(r15),
	[UL_GDB_RIP] = VCPU_REG(rip), [UL_GDB_EFLAGS] = VCPU_REG(rflags),
};

#define FRAME_REG(f) offsetof(struct ul_kvm_debug, f)
static const size_t frame_offset[UL_GDB_EFLAGS + 1] = {
	[UL_GDB_RAX] = FRAME_REG(rax), [UL_GDB_RBX] = FRAME_REG(rbx),
	[UL_GDB_RCX] = FRAME_REG(rcx), [UL_GDB_RDX] = FRAME_REG(rdx),
	[UL_GDB_RSI] = FRAME_REG(rsi), [UL_GDB_RDI] = FRAME_REG(rdi),
	[UL_GDB_RBP] = FRAME_REG(rbp), [UL_GDB_RSP] = FRAME_REG(rsp),
	[UL_GDB_R8] = FRAME_REG(r8), [UL_GDB_R9] = FRAME_REG(r9),
	[UL_GDB_R10] = FRAME_REG(r10), [UL_GDB_R11] = FRAME_REG(r11),
	[UL_GDB_R12] = FRAME_REG(r12), [UL_GDB_R13] = FRAME_REG(r13),
	[UL_GDB_R14] = FRAME_REG(r14), [UL_GDB_R15] = FRAME_REG(r15),
	[UL_GDB_RIP] = FRAME_REG(rip), [UL_GDB_EFLAGS] = FRAME_REG(rflags),
};

/* Where general register r (rax..rflags) of the stopped context is. */
static uint64_t *reg_ptr(enum ul_gdb_reg r)
{
	if (s.ctx == CTX_VCPU)
		return (uint64_t *)((char *)&s.regs + vcpu_offset[r]);
	return (uint64_t *)((char *)s.frame + frame_offset[r]);
}

static int read_regs(void *ctx, struct ul_gdb_regs *r)
{
	(void)ctx;
	for (int i = UL_GDB_RAX; i <= UL_GDB_EFLAGS; i++)
		r->value[i] = *reg_ptr((enum ul_gdb_reg)i);
	r->value[UL_GDB_CS] = s.ctx == CTX_VCPU ? s.sregs.cs.selector
	                                        : s.frame->cs;
	r->value[UL_GDB_SS] = s.ctx == CTX_VCPU ? s.sregs.ss.selector
	                                        : s.frame->ss;
	r->value[UL_GDB_DS] = s.sregs.ds.selector;
	r->value[UL_GDB_ES] = s.sregs.es.selector;
	r->value[UL_GDB_FS] = s.sregs.fs.selector;
	r->value[UL_GDB_GS] = s.sregs.gs.selector;
	r->value[UL_GDB_FS_BASE] = s.sregs.fs.base;
	r->value[UL_GDB_GS_BASE] = s.sregs.gs.base;
	r->valid = (1u << UL_GDB_NREGS) - 1;
	return 0;
}

/* The general registers, rip and the arithmetic flags; a crashed context
 * cannot go on, so changing it would mean nothing. */
static int write_reg(void *ctx, enum ul_gdb_reg r, uint64_t v)
{
	(void)ctx;
	if (s.ctx == CTX_CRASH || r > UL_GDB_EFLAGS)
		return -UL_EPERM;
	uint64_t *p = reg_ptr(r);
	if (r == UL_GDB_EFLAGS)
		v = (*p & ~X86_RFLAGS_STATUS) | (v & X86_RFLAGS_STATUS);
	*p = v;
	s.regs_dirty = true;
	return 0;
}

/* --- memory, at guest virtual addresses --- */

/* The host address of addr and how many bytes from it lie on its page
 * (at most len); NULL when addr is not mapped. */
static void *span(struct vm *vm, uint64_t addr, size_t len, size_t *n)
{
	uint64_t gpa, room;

	if (!guest_translate(&vm->mem, s.sregs.cr3, addr, &gpa, &room))
		return NULL;
	*n = room < len ? (size_t)room : len;
	return guest_ptr(&vm->mem, gpa, *n, 1);
}

long gdb_read_virt(struct vm *vm, uint64_t addr, void *buf, size_t len)
{
	return guest_read_virt(&vm->mem, s.sregs.cr3, addr, buf, len);
}

static long read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	return gdb_read_virt(s.vm, addr, buf, len);
}

/* All or nothing: every page is checked before any byte is written. The
 * guest's page rights do not apply: gdb writes int3 into code. */
static int write_mem(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	size_t done, n;
	void *p;

	(void)ctx;
	for (done = 0; done < len; done += n)
		if (!span(s.vm, addr + done, len - done, &n))
			return -UL_EFAULT;
	for (done = 0; done < len; done += n) {
		p = span(s.vm, addr + done, len - done, &n);
		memcpy(p, (const char *)buf + done, n);
	}
	return 0;
}

static int hw_point(void *ctx, bool insert, enum ul_gdb_point kind,
                    uint64_t addr, uint64_t len)
{
	(void)ctx;
	return points_set(s.vm, &s.stub, insert, kind, addr, len);
}

static const struct ul_gdb_target target = {
	read_regs, write_reg, read_mem, write_mem, hw_point,
};
static const struct ul_gdb_transport transport = {
	gdb_tcp_read, gdb_tcp_write,
};

/* --- stopping and going on --- */

static void on_input(int sig)
{
	(void)sig;
	input = 1;
	input_run->immediate_exit = 1; /* a KVM_RUN about to start returns */
}

static void on_listen_request(int sig, siginfo_t *info, void *uctx)
{
	(void)sig;
	(void)uctx;
	int port = info->si_code == SI_QUEUE ? info->si_value.sival_int : 0;
	listen_port_asked = port > 0 && port <= 65535 ? port : 0;
	listen_asked = 1;
	input_run->immediate_exit = 1;
}

/* SA_RESTART: the monitor's other system calls carry on; KVM_RUN and the
 * poll call's ppoll return EINTR whatever the flag says. */
void gdb_catch_signals(struct vm *vm)
{
	struct sigaction io, usr1;

	input_run = vm->run;
	memset(&io, 0, sizeof(io));
	io.sa_handler = on_input;
	io.sa_flags = SA_RESTART;
	sigemptyset(&io.sa_mask);
	usr1 = io;
	usr1.sa_sigaction = on_listen_request;
	usr1.sa_flags = SA_RESTART | SA_SIGINFO;
	if (sigaction(SIGIO, &io, NULL) < 0 || sigaction(SIGUSR1, &usr1, NULL) < 0)
		fatal(UL_KVM_EXIT_HOST, "gdb: cannot catch SIGIO and SIGUSR1: %s",
		      strerror(errno));
	points_init(); /* looks at /sys: now, before the sandbox goes up */
}

static bool accept_late(struct vm *vm);

static void note_interrupt(void)
{
	if (input) {
		input = 0;
		s.interrupt |= ul_gdb_interrupted(&s.stub);
	}
}

/* A port write exit leaves the instruction half done until the next
 * KVM_RUN; run the vCPU that far, and no further, before its registers
 * are read or changed. */
static void settle(struct vm *vm)
{
	vm->run->immediate_exit = 1;
	if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0 && errno != EINTR &&
	    errno != EAGAIN)
		fatal(UL_KVM_EXIT_HOST, "KVM_RUN failed: %s", strerror(errno));
	vm->run->immediate_exit = 0;
}

static void fetch_state(struct vm *vm)
{
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s.sregs) < 0 ||
	    (s.ctx == CTX_VCPU && ioctl(vm->vcpu_fd, KVM_GET_REGS, &s.regs) < 0))
		fatal(UL_KVM_EXIT_HOST, "gdb: cannot read the vCPU's registers: %s",
		      strerror(errno));
	s.regs_dirty = false;
}

static void end_session(void)
{
	gdb_tcp_close(&s.conn);
	s.attached = false;
	s.step = false;
}

/* Show gdb the stop and do what it says; returns when the guest is to go
 * on (with or without gdb). */
static void stop(struct vm *vm, const struct ul_gdb_stop *why)
{
	fetch_state(vm);
	s.interrupt = false;
	switch (ul_gdb_stopped(&s.stub, why)) {
	case UL_GDB_KILL:
		end_session();
		fprintf(stderr, MONITOR_NAME ": gdb killed the guest\n");
		monitor_exit(UL_KVM_EXIT_KILLED);
	case UL_GDB_DETACH:
		points_clear(vm);
		end_session();
		fprintf(stderr, MONITOR_NAME ": gdb detached; the guest runs on\n");
		if (listen_fd >= 0)
			fprintf(stderr, MONITOR_NAME ": gdb may attach again\n");
		break;
	case UL_GDB_STEP:
		s.step = true;
		points_load(vm);
		break;
	case UL_GDB_CONTINUE:
		s.step = false;
		points_load(vm);
		break;
	}
}

/* Whether the guest is to run with TF: for gdb's step, or for watchpoints
 * emulated by stepping. */
static bool single_step(void)
{
	return s.attached && (s.step || points_stepping());
}

static void stop_vcpu(struct vm *vm, int signal)
{
	struct ul_gdb_stop why = {.signal = signal};

	settle(vm);
	s.ctx = CTX_VCPU;
	stop(vm, &why);
	/* TF may be left from emulated watchpoints that gdb has removed. */
	uint64_t rflags = single_step() ? s.regs.rflags | X86_RFLAGS_TF
	                                : s.regs.rflags & ~X86_RFLAGS_TF;
	if (rflags != s.regs.rflags) {
		s.regs.rflags = rflags;
		s.regs_dirty = true;
	}
	if (s.regs_dirty && ioctl(vm->vcpu_fd, KVM_SET_REGS, &s.regs) < 0)
		fatal(UL_KVM_EXIT_HOST, "KVM_SET_REGS failed: %s", strerror(errno));
}

/* Why the guest took a debug exception, in gdb's terms; false for a step
 * of an emulated watchpoint that found nothing, which just goes on. */
static bool why_trapped(struct vm *vm, struct ul_kvm_debug *d,
                        struct ul_gdb_stop *why)
{
	if (d->vector != X86_EXC_DB) {
		/* An int3 traps after itself: gdb wants the address of the
		 * breakpoint, where the guest must resume once it is out.
		 * One that is not gdb's is the program's own. */
		if (ul_gdb_is_sw_break(&s.stub, d->rip - 1)) {
			d->rip--;
			why->breakpoint = true;
			why->kind = UL_GDB_SW_BREAK;
		}
		return true;
	}
	if (points_hit(vm, d->dr6, why) || s.step)
		return true;
	note_interrupt();
	if (s.interrupt) {
		why->signal = UL_GDB_SIGINT;
		return true;
	}
	return !(d->dr6 & X86_DR6_BS) || !points_stepping();
}

/* A debug exception with no debugger is a crash like any other. */
static _Noreturn void debug_crash(struct vm *vm, const struct ul_kvm_debug *d)
{
	const struct ul_kvm_abort a = {
		.vector = d->vector, .rip = d->rip, .cs = d->cs,
		.rflags = d->rflags, .rsp = d->rsp, .ss = d->ss,
		.rax = d->rax, .rbx = d->rbx, .rcx = d->rcx, .rdx = d->rdx,
		.rsi = d->rsi, .rdi = d->rdi, .rbp = d->rbp,
		.r8 = d->r8, .r9 = d->r9, .r10 = d->r10, .r11 = d->r11,
		.r12 = d->r12, .r13 = d->r13, .r14 = d->r14, .r15 = d->r15,
	};
	crash_report(vm, &a);
}

void hc_debug(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_debug *d =
		hypercall_arg(vm, UL_KVM_HC_DEBUG, gpa, sizeof(*d));
	struct ul_gdb_stop why = {.signal = UL_GDB_SIGTRAP};

	if (!s.attached && s.trap_armed && d->vector == X86_EXC_DB) {
		/* The trap was for a Ctrl-C, and gdb has gone since. */
		s.trap_armed = false;
		d->rflags &= ~X86_RFLAGS_TF;
		return;
	}
	if (!s.attached)
		debug_crash(vm, d);
	s.trap_armed = false;
	s.ctx = CTX_TRAP;
	s.frame = d;
	d->rflags &= ~X86_RFLAGS_TF;
	if (why_trapped(vm, d, &why))
		stop(vm, &why);
	/* RF: an instruction breakpoint at the resume address must not fire
	 * again at once. */
	d->rflags |= X86_RFLAGS_RF | (single_step() ? X86_RFLAGS_TF : 0);
}

void gdb_crash(struct vm *vm, const struct ul_kvm_abort *a)
{
	struct ul_gdb_stop why = {.signal = ul_gdb_exception_signal(a->vector)};

	if (!s.attached)
		return;
	s.crashed = (struct ul_kvm_debug){
		.vector = a->vector, .dr6 = a->error_code, .rip = a->rip,
		.cs = a->cs, .rflags = a->rflags, .rsp = a->rsp, .ss = a->ss,
		.rax = a->rax, .rbx = a->rbx, .rcx = a->rcx, .rdx = a->rdx,
		.rsi = a->rsi, .rdi = a->rdi, .rbp = a->rbp,
		.r8 = a->r8, .r9 = a->r9, .r10 = a->r10, .r11 = a->r11,
		.r12 = a->r12, .r13 = a->r13, .r14 = a->r14, .r15 = a->r15,
	};
	s.ctx = CTX_CRASH;
	s.frame = &s.crashed;
	stop(vm, &why);
	s.crash_signal = why.signal; /* it cannot go on: the report ends it */
}

/* Set TF in the rflags with which the guest's exception handler returns
 * to the program (the CPU's part of the frame at the top of the exception
 * stack, x86_64/exception.h): the program then traps after its first
 * instruction, and that debug exception reports the held interrupt. */
static void trap_on_return(struct vm *vm)
{
	struct x86_exception_frame *f = guest_ptr(
		&vm->mem, UL_KVM_EXC_STACK_TOP - sizeof(*f), sizeof(*f), 8);

	if (f && (f->cs & 3) == 3) {
		f->rflags |= X86_RFLAGS_TF;
		s.trap_armed = true;
	}
}

void gdb_poll(struct vm *vm)
{
	if (!input && !listen_asked && !s.interrupt)
		return;
	/* The signal asked KVM_RUN to return; whatever it was, the vCPU must
	 * be able to run again (also after gdb has gone). */
	vm->run->immediate_exit = 0;
	if (listen_asked) {
		listen_asked = 0;
		if (gdb_listen(vm, (unsigned)listen_port_asked) < 0)
			fprintf(stderr, MONITOR_NAME ": gdb: cannot listen on "
			        "127.0.0.1:%d: %s\n", (int)listen_port_asked,
			        strerror(errno));
	}
	/* A new session's first bytes are its handshake, for the stop to
	 * serve, not a Ctrl-C to look for. */
	if (input && listen_fd >= 0 && accept_late(vm))
		input = 0;
	if (!s.attached) {
		input = 0;
		return;
	}
	note_interrupt();
	if (!s.interrupt)
		return;
	/* In the guest's exception path (kernel mode) the stop would show
	 * the handler, not the program: keep the interrupt for the debug
	 * exception or exit that comes next, and make sure one comes even
	 * if the program then runs without a single exit. */
	settle(vm);
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s.sregs) == 0 &&
	    (s.sregs.cs.selector & 3) == 0) {
		trap_on_return(vm);
		return;
	}
	stop_vcpu(vm, UL_GDB_SIGINT);
}

/* How an end the monitor decided looks to gdb: killed by a signal. */
static int end_signal(int status)
{
	switch (status) {
	case UL_KVM_EXIT_TIMEOUT:
		return UL_GDB_SIGALRM;
	case UL_KVM_EXIT_VM_FAULT:
	case UL_KVM_EXIT_BAD_HYPERCALL:
	case UL_KVM_EXIT_TRIPLE_FAULT:
		return UL_GDB_SIGSEGV;
	default:
		return 0; /* the guest's own exit status */
	}
}

void gdb_report_exit(int status)
{
	int signal = s.crash_signal ? s.crash_signal : end_signal(status);

	if (!s.attached)
		return;
	if (signal)
		ul_gdb_terminated(&s.stub, signal);
	else
		ul_gdb_exited(&s.stub, status);
	end_session();
}

/* --- attaching --- */

/* The core's thread list, if the image has the symbols (any Unilab
 * image does; a test guest without the core has none). */
static void show_threads(struct vm *vm)
{
	struct ul_gdb_thread_syms syms;

	if (image_lookup(&vm->image, "ul_main_thread", &syms.main_thread) &&
	    image_lookup(&vm->image, "ul_current", &syms.current) &&
	    image_lookup(&vm->image, "ul_debug_info", &syms.debug_info))
		ul_gdb_set_threads(&s.stub, &syms);
}

/* Breakpoints and steps reach gdb through the guest's #BP and #DB
 * handlers, which the guest installs a few instructions in. With gdb
 * attached from the first instruction, the monitor fills in those two
 * gates itself, exactly as the guest will (idt.c), so that even the
 * guest's first instructions can be stepped. */
static void install_debug_gates(struct vm *vm)
{
	struct x86_idt_gate *idt = guest_ptr(
		&vm->mem, UL_KVM_IDT, UL_KVM_IDT_GATES * sizeof(*idt), 8);
	static const unsigned vectors[] = {X86_EXC_DB, X86_EXC_BP};
	uint64_t stubs;

	if (!idt || !image_lookup(&vm->image, "ul_x86_exception_stubs", &stubs))
		return;
	for (unsigned i = 0; i < 2; i++)
		idt[vectors[i]] = ul_kvm_exception_gate(stubs, vectors[i]);
}

static void begin_session(struct vm *vm)
{
	s.vm = vm;
	s.attached = true;
	ul_gdb_init(&s.stub, &transport, &s.conn, &target, NULL);
	show_threads(vm);
}

void gdb_start(struct vm *vm, unsigned port)
{
	unsigned bound;
	int fd = gdb_tcp_listen(port, &bound, false);

	if (fd < 0)
		fatal(UL_KVM_EXIT_HOST, "gdb: cannot listen on 127.0.0.1:%u: %s",
		      port, strerror(errno));
	fprintf(stderr, MONITOR_NAME ": waiting for gdb on 127.0.0.1:%u "
	        "(gdb %s -ex 'target remote :%u')\n",
	        bound, vm->image.path, bound);
	gdb_tcp_accept(fd, &s.conn);
	close(fd);
	begin_session(vm);
	install_debug_gates(vm);
	stop_vcpu(vm, UL_GDB_SIGTRAP);
}

/* One listening socket at a time: a request for another port moves it
 * there; one for any port (0) or the same port keeps it. */
int gdb_listen(struct vm *vm, unsigned port)
{
	unsigned bound;
	int fd;

	if (listen_fd >= 0 && (port == 0 || port == listen_port))
		return 0;
	if ((fd = gdb_tcp_listen(port, &bound, true)) < 0)
		return -1;
	if (listen_fd >= 0)
		close(listen_fd);
	listen_fd = fd;
	listen_port = bound;
	fprintf(stderr, MONITOR_NAME ": gdb may attach at any time on "
	        "127.0.0.1:%u (gdb %s -ex 'target remote :%u')\n",
	        bound, vm->image.path, bound);
	return 0;
}

/* Tell a second gdb why it cannot attach, in a reply gdb prints (to its
 * first packet), then hang up. */
static void refuse(struct gdb_tcp *conn)
{
	static const char why[] = "E." MONITOR_NAME ": a gdb is attached already";
	char frame[2 * sizeof(why) + 4];

	gdb_tcp_write(conn, "+", 1);
	gdb_tcp_write(conn, frame, ul_gdb_frame(why, sizeof(why) - 1, frame));
	gdb_tcp_close(conn);
	fprintf(stderr, MONITOR_NAME ": gdb: refused a second connection: a "
	        "gdb is attached already\n");
}

/* Connections waiting on the listening socket: the first becomes the
 * session, stopping the guest at its next exit; while one is attached,
 * others are refused (one gdb at a time). True when a session began. */
static bool accept_late(struct vm *vm)
{
	struct gdb_tcp conn;
	bool began = false;

	while (gdb_tcp_accept(listen_fd, &conn)) {
		if (s.attached) {
			refuse(&conn);
			continue;
		}
		s.conn = conn;
		begin_session(vm);
		ul_gdb_set_attached_late(&s.stub);
		s.interrupt = true; /* stop where the guest is */
		began = true;
		fprintf(stderr, MONITOR_NAME ": gdb attached; the guest stops\n");
	}
	return began;
}
