/* unilab-kvm: the sandbox. Once set-up is done (image loaded, devices
 * open, gdb connected), the monitor installs a seccomp filter that allows
 * only the system calls its run loop makes for the options in use; any
 * other call traps, and the monitor ends with a report that names it.
 * A guest that found a way to steer the monitor can then do little more
 * than the guest itself could. The model is Solo5's tender. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "monitor.h"

/* What the run loop does, from the options: each rule says which of these
 * it is for.
 *
 * ATTACH is always on: a running monitor can be asked at any time to let
 * gdb attach (SIGUSR1, ./unilab attach PID), and --gdb-listen listens from
 * the start, so the calls that set up a listening socket, accept gdb and
 * talk to it are in every filter. They are narrowed by their arguments
 * where that costs nothing: socket() only for AF_INET stream sockets
 * (unless --net=user asks for more), openat() and unlinkat() only in the
 * --dumpcore folder opened before the VM was made (unless gcov needs to
 * open its files). The signal handlers (SIGIO, SIGUSR1) are installed
 * before the filter, so rt_sigaction is not allowed. */
enum need {
	ALWAYS = 1 << 0,
	DISK = 1 << 1,     /* --disk */
	TAP = 1 << 2,      /* --net=tap: */
	CAPTURE = 1 << 3,  /* --net=pcap: (libpcap) */
	USER = 1 << 4,     /* --net=user (libslirp and GLib) */
	GDB = 1 << 5,      /* --gdb */
	SANITIZER = 1 << 6, /* built with ASan/UBSan (unilab-kvm-asan) */
	COVERAGE = 1 << 7,  /* built with gcov (-Db_coverage=true) */
	ATTACH = 1 << 8,    /* gdb attaching later: always (above) */
	CORE = 1 << 9,      /* --dumpcore or $UNILAB_DUMPCORE */
	ONDEMAND = 1 << 10, /* --on-demand: VMs made and ended while filtered */
};

/* THE list of system calls the monitor may make once it runs the guest.
 * A feature that needs another call adds a line here. */
static const struct {
	const char *name;
	unsigned need;
} allowed[] = {
	/* the exit loop: KVM_RUN and the register reads of its reports
	 * (ioctl's requests are checked below) */
	{"ioctl", ALWAYS},
	/* console output, error reports, the --pcap=FILE recording */
	{"write", ALWAYS},
	{"writev", ALWAYS},
	{"fstat", ALWAYS},      /* stdio, on a stream's first use */
	{"newfstatat", ALWAYS},
	/* the poll hypercall, and gdb waiting for its socket */
	{"ppoll", ALWAYS},
	{"poll", ALWAYS},
	/* clocks (the vDSO answers most reads without a call) */
	{"clock_gettime", ALWAYS},
	{"gettimeofday", ALWAYS},
	/* the heap (mmap and mprotect: never executable, checked below) */
	{"brk", ALWAYS},
	{"mmap", ALWAYS},
	{"munmap", ALWAYS},
	{"mremap", ALWAYS},
	{"madvise", ALWAYS},
	{"mprotect", ALWAYS},
	{"futex", ALWAYS},
	/* signals: --timeout's SIGALRM, gdb's SIGIO and SIGUSR1; abort() on a
	 * failed assertion or a sanitizer report (tgkill: only this process);
	 * getpid also names core files and owns gdb's socket (F_SETOWN) */
	{"rt_sigreturn", ALWAYS},
	{"rt_sigprocmask", ALWAYS},
	{"getpid", ALWAYS},
	{"gettid", ALWAYS},
	{"tgkill", ALWAYS},
	{"exit", ALWAYS},
	{"exit_group", ALWAYS},
	/* crash reports read the image's symbol table; block devices read
	 * and write whole sectors at an offset; a core file is written at
	 * offsets and cut to its size */
	{"pread64", ALWAYS},
	{"pwrite64", DISK | CORE},
	{"fdatasync", DISK},
	{"fsync", DISK},
	{"ftruncate", CORE},
	/* frames in and out of a TAP device */
	{"read", TAP | CAPTURE | USER | GDB | ATTACH | COVERAGE},
	{"readv", TAP},
	/* libpcap's capture socket; gdb's connection */
	{"recvfrom", CAPTURE | USER | GDB | ATTACH},
	{"sendto", CAPTURE | USER | GDB | ATTACH},
	/* user-mode networking: libslirp opens, uses and closes host
	 * sockets (only IPv4 and IPv6, checked below) as the guest does;
	 * gdb attaching later listens on 127.0.0.1 and accepts one */
	{"socket", USER | ATTACH},
	{"connect", USER},
	{"bind", USER | ATTACH},
	{"listen", USER | ATTACH},
	{"accept", USER},
	{"accept4", USER | ATTACH},
	{"shutdown", USER},
	{"close", USER | GDB | ATTACH | CORE | COVERAGE | ONDEMAND},
	{"recvmsg", USER},
	{"sendmsg", USER},
	{"setsockopt", USER | ATTACH},
	{"getsockopt", USER},
	{"getsockname", USER | ATTACH},
	{"getpeername", USER},
	{"fcntl", USER | ATTACH | COVERAGE}, /* gdb: F_SETOWN, F_SETFL */
	/* the entropy hypercall; libslirp's random numbers */
	{"getrandom", ALWAYS},
	/* the sanitizers' interceptors look at the alternate signal stack */
	{"sigaltstack", SANITIZER},
	/* the core file, made in the --dumpcore folder (checked below), and
	 * removed when it could not be written whole; gcov writes its counts
	 * to the .gcda files at exit (with read, close and fcntl above) */
	{"openat", CORE | COVERAGE},
	{"unlinkat", CORE},
	{"lseek", COVERAGE},
	{"mkdir", COVERAGE},
};

/* The ioctl requests allowed, on any descriptor: the run loop's, the core
 * file's and the gdb stub's KVM calls; libslirp asks how much a UDP
 * socket holds. */
static const struct {
	unsigned long request;
	unsigned need;
} allowed_ioctls[] = {
	{KVM_RUN, ALWAYS},
	{KVM_GET_REGS, ALWAYS},
	{KVM_GET_SREGS, ALWAYS},
	{KVM_SET_REGS, GDB | ATTACH | ONDEMAND},
	{KVM_SET_GUEST_DEBUG, GDB | ATTACH},
	{KVM_SET_DEBUGREGS, GDB | ATTACH},
	{FIONREAD, USER},
	/* --on-demand makes each VM after the filter is up (on the /dev/kvm
	 * descriptor opened before it) and closes it when the guest ends */
	{KVM_CREATE_VM, ONDEMAND},
	{KVM_SET_USER_MEMORY_REGION, ONDEMAND},
	{KVM_CREATE_VCPU, ONDEMAND},
	{KVM_GET_VCPU_MMAP_SIZE, ONDEMAND},
	{KVM_GET_TSC_KHZ, ONDEMAND},
	{KVM_SET_SREGS, ONDEMAND},
};

static unsigned needs(const struct options *opt)
{
	unsigned need = ALWAYS | ATTACH;

#ifdef __SANITIZE_ADDRESS__
	need |= SANITIZER;
#endif
#ifdef UL_SANDBOX_COVERAGE
	need |= COVERAGE;
#endif
	if (opt->disk_count > 0)
		need |= DISK;
	if (opt->gdb)
		need |= GDB;
	if (opt->dumpcore)
		need |= CORE;
	if (opt->on_demand)
		need |= ONDEMAND;
	for (unsigned i = 0; i < opt->net_count; i++)
		switch (opt->net[i].kind) {
		case HOST_NET_TAP: need |= TAP; break;
		case HOST_NET_PCAP: need |= CAPTURE; break;
		case HOST_NET_USER: need |= USER; break;
		}
	return need;
}

/* A trapped call: say which, and end. Only async-signal-safe calls, but
 * for the name: seccomp_syscall_resolve_num_arch() copies it with malloc,
 * which is safe here because every call malloc makes is allowed, so a
 * trap never lands inside it. */
static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	char msg[256];
	(void)sig;
	(void)ctx;
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
	                                              si->si_syscall);
	int n = snprintf(msg, sizeof(msg),
	                 MONITOR_NAME ": sandbox: the monitor made system call "
	                 "%s (number %d), which its seccomp filter does not "
	                 "allow; stopped (--no-sandbox runs without the "
	                 "filter)\n",
	                 name ? name : "?", si->si_syscall);
	if (n > 0)
		(void)!write(STDERR_FILENO, msg,
		             (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	/* The call itself: the sanitizers' _exit() would do more work. */
	syscall(SYS_exit_group, UL_KVM_EXIT_HOST);
}

/* LeakSanitizer's check stops the world with clone and ptrace, which
 * the filter rightly forbids: in the sanitizer build the check runs here,
 * once, as the sandbox goes up, instead of at exit. */
static void leak_check_now(void)
{
#ifdef __SANITIZE_ADDRESS__
	__lsan_do_leak_check();
#endif
}

static _Noreturn void failed(const char *what, int err)
{
	fatal(UL_KVM_EXIT_HOST, "sandbox: cannot %s: %s (--no-sandbox runs "
	      "without it)", what, strerror(-err));
}

static void allow(scmp_filter_ctx f, const char *name, unsigned need,
                  int core_fd)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return; /* not a call on this architecture (fstat vs newfstatat) */

	/* Memory that becomes executable would run code the monitor did not
	 * load at start. */
	int err;
	if (strcmp(name, "mmap") == 0 || strcmp(name, "mprotect") == 0)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 1,
		                       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	else if (strcmp(name, "socket") == 0 && (need & USER)) {
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 1,
		                       SCMP_A0(SCMP_CMP_EQ, AF_INET));
		if (err == 0)
			err = seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 1,
			                       SCMP_A0(SCMP_CMP_EQ, AF_INET6));
	} else if (strcmp(name, "socket") == 0)
		/* gdb's listening socket; the type may carry SOCK_CLOEXEC */
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 2,
		                       SCMP_A0(SCMP_CMP_EQ, AF_INET),
		                       SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf,
		                               SOCK_STREAM));
	else if ((strcmp(name, "openat") == 0 ||
	          strcmp(name, "unlinkat") == 0) && !(need & COVERAGE))
		/* only in the --dumpcore folder (a descriptor, not a path) */
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 1,
		                       SCMP_A0(SCMP_CMP_EQ,
		                               (scmp_datum_t)core_fd));
	else if (strcmp(name, "tgkill") == 0)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 1,
		                       SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	else if (strcmp(name, "ioctl") != 0)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 0);
	else
		err = 0;
	if (err < 0)
		failed("add a rule to the filter", err);
}

void sandbox_enter(const struct options *opt, int core_fd)
{
	struct sigaction sa;
	unsigned need = needs(opt);

	if (opt->no_sandbox) {
		fprintf(stderr, MONITOR_NAME ": running without the sandbox "
		        "(--no-sandbox): the monitor may make any system call\n");
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		failed("catch SIGSYS", -errno);
	leak_check_now();

	scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
	if (!f)
		failed("make a seccomp filter", -ENOMEM);
	/* Threads started before now (libraries' helpers) are bound too. */
	int err = seccomp_attr_set(f, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0; err == 0 && i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (allowed[i].need & need)
			allow(f, allowed[i].name, need, core_fd);
	for (size_t i = 0; err == 0 &&
	     i < sizeof(allowed_ioctls) / sizeof(allowed_ioctls[0]); i++)
		if (allowed_ioctls[i].need & need)
			err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			        SCMP_A1(SCMP_CMP_EQ, allowed_ioctls[i].request));
	if (err == 0)
		err = seccomp_load(f);
	seccomp_release(f);
	if (err < 0)
		failed("install the seccomp filter", err);
}
