/* unilab-kvm: the exit loop. The vCPU runs until the guest needs the
 * monitor; port writes to the hypercall ports are calls, and every other
 * exit is a guest that has gone wrong, reported and ended here. */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>

#include "monitor.h"

static struct kvm_run *timeout_run;
static volatile sig_atomic_t timed_out, stop_signal;

/* The signal interrupts KVM_RUN (or a sleep in poll) with EINTR;
 * immediate_exit covers a signal that lands just before KVM_RUN starts. */
static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	timeout_run->immediate_exit = 1;
}

/* With --stats, SIGINT and SIGTERM end the guest through monitor_exit, so
 * that a server stopped by its user still prints what it counted. */
static void on_stop(int sig)
{
	stop_signal = sig;
	timeout_run->immediate_exit = 1;
}

static void catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop; /* no SA_RESTART, as for the timeout */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		fatal(UL_KVM_EXIT_HOST, "cannot catch SIGTERM: %s",
		      strerror(errno));
}

static void arm_timeout(struct vm *vm)
{
	struct sigaction sa;
	struct itimerval it = {
		.it_value = {
			.tv_sec = (time_t)(vm->timeout_us / 1000000),
			.tv_usec = (suseconds_t)(vm->timeout_us % 1000000),
		},
	};

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: blocking calls must end */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0 ||
	    setitimer(ITIMER_REAL, &it, NULL) < 0)
		fatal(UL_KVM_EXIT_HOST, "cannot arm --timeout: %s",
		      strerror(errno));
}

static void check_timeout(const struct vm *vm)
{
	if (stop_signal)
		fatal(128 + stop_signal, "guest stopped by signal %d (%s)",
		      stop_signal, strsignal(stop_signal));
	if (timed_out)
		fatal(UL_KVM_EXIT_TIMEOUT,
		      "guest stopped: --timeout of %.3f s ran out (rip 0x%llx)",
		      (double)vm->timeout_us / 1e6,
		      (unsigned long long)vm_rip(vm));
}

static void port_io(struct vm *vm)
{
	const struct kvm_run *run = vm->run;
	unsigned port = run->io.port;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;

	if (port < UL_KVM_HC_PORT_BASE ||
	    port >= UL_KVM_HC_PORT_BASE + UL_KVM_HC_PORTS)
		fatal(UL_KVM_EXIT_VM_FAULT,
		      "guest did stray port I/O: %s of %u byte(s) %s port 0x%x "
		      "at rip 0x%llx (hypercall ports are 0x%x..0x%x)",
		      out ? "write" : "read", run->io.size, out ? "to" : "from",
		      port, (unsigned long long)vm_rip(vm), UL_KVM_HC_PORT_BASE,
		      UL_KVM_HC_PORT_BASE + UL_KVM_HC_PORTS - 1);
	unsigned nr = port - UL_KVM_HC_PORT_BASE;
	if (nr >= UL_KVM_HC_COUNT)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad hypercall at rip 0x%llx: unknown number %u (port 0x%x); "
		      "this monitor knows 0..%d",
		      (unsigned long long)vm_rip(vm), nr, port,
		      UL_KVM_HC_COUNT - 1);
	if (!out || run->io.size != 4 || run->io.count != 1)
		fatal(UL_KVM_EXIT_BAD_HYPERCALL,
		      "bad %s hypercall at rip 0x%llx: a hypercall is one 32-bit "
		      "write (outl), not a %u-byte %s%s",
		      hypercall_name(nr), (unsigned long long)vm_rip(vm),
		      run->io.size, out ? "write" : "read",
		      run->io.count != 1 ? " string operation" : "");
	uint32_t gpa;
	memcpy(&gpa, (const uint8_t *)run + run->io.data_offset, sizeof(gpa));
	hypercall(vm, nr, gpa);
}

static _Noreturn void triple_fault(struct vm *vm)
{
	fatal(UL_KVM_EXIT_TRIPLE_FAULT,
	      "guest triple-faulted near rip 0x%llx: an exception happened "
	      "while the CPU could not deliver one (no IDT gates filled in yet, "
	      "or a broken exception stack)",
	      (unsigned long long)vm_rip(vm));
}

static _Noreturn void unexpected_exit(struct vm *vm)
{
	const struct kvm_run *run = vm->run;
	unsigned long long rip = vm_rip(vm);

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		fatal(UL_KVM_EXIT_VM_FAULT,
		      "guest %s %u byte(s) at 0x%llx, outside its %llu KiB of RAM, "
		      "at rip 0x%llx",
		      run->mmio.is_write ? "wrote" : "read", run->mmio.len,
		      (unsigned long long)run->mmio.phys_addr,
		      (unsigned long long)(vm->mem.size >> 10), rip);
	case KVM_EXIT_HLT:
		fatal(UL_KVM_EXIT_VM_FAULT,
		      "guest halted at rip 0x%llx with interrupts off: nothing "
		      "can wake it (wait with the poll hypercall instead)", rip);
	case KVM_EXIT_INTERNAL_ERROR:
		fatal(UL_KVM_EXIT_VM_FAULT,
		      "KVM could not run the guest at rip 0x%llx (internal error "
		      "%u%s)", rip, run->internal.suberror,
		      run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION
		              ? ": an instruction KVM cannot emulate"
		              : "");
	case KVM_EXIT_FAIL_ENTRY:
		fatal(UL_KVM_EXIT_VM_FAULT,
		      "KVM could not enter the guest at rip 0x%llx (hardware "
		      "reason 0x%llx)", rip,
		      (unsigned long long)run->fail_entry
		              .hardware_entry_failure_reason);
	default:
		fatal(UL_KVM_EXIT_VM_FAULT,
		      "unexpected exit from the guest at rip 0x%llx (KVM exit "
		      "reason %u)", rip, run->exit_reason);
	}
}

_Noreturn void vm_run(struct vm *vm, bool report_on_signal)
{
	timeout_run = vm->run;
	if (report_on_signal)
		catch_stop_signals();
	if (vm->timeout_us)
		arm_timeout(vm);
	trace_mark(TRACE_VCPU_ENTERED);
	for (;;) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno != EINTR && errno != EAGAIN)
				fatal(UL_KVM_EXIT_HOST, "KVM_RUN failed: %s",
				      strerror(errno));
			stats.interrupted++;
			check_timeout(vm);
			gdb_poll(vm);
			continue;
		}
		switch (vm->run->exit_reason) {
		case KVM_EXIT_IO:
			port_io(vm);
			check_timeout(vm);
			gdb_poll(vm);
			break;
		case KVM_EXIT_SHUTDOWN:
			triple_fault(vm);
		default:
			unexpected_exit(vm);
		}
	}
}
