/* unilab-kvm: how the monitor ends, and the --trace-boot timeline printed
 * at the end. Every way out goes through monitor_exit(). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monitor.h"

static const char *const phase_names[TRACE_PHASES] = {
	[TRACE_START] = "monitor start",
	[TRACE_VM_CREATED] = "vm created",
	[TRACE_IMAGE_LOADED] = "image loaded",
	[TRACE_VCPU_ENTERED] = "vcpu entered",
	[TRACE_FIRST_OUTPUT] = "first guest output",
	[TRACE_APP_MAIN] = "app main",
	[TRACE_EXIT] = "exit",
};

static bool tracing;
static uint64_t phase_ns[TRACE_PHASES]; /* 0: phase not reached */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void trace_enable(void)
{
	tracing = true;
}

bool trace_enabled(void)
{
	return tracing;
}

/* Always recorded (a vDSO clock read), printed only with --trace-boot. */
void trace_mark(enum trace_phase phase)
{
	if (phase_ns[phase] == 0)
		phase_ns[phase] = now_ns();
}

void trace_restart(void)
{
	memset(phase_ns, 0, sizeof(phase_ns));
	trace_mark(TRACE_START);
}

/* Phases in the order they happened (first output may come before or
 * after app main), each with its time since monitor start and since the
 * phase before it. */
static void trace_print(void)
{
	bool done[TRACE_PHASES] = {false};
	uint64_t start = phase_ns[TRACE_START], prev = start;

	fprintf(stderr, MONITOR_NAME ": boot trace (ms since monitor start, "
	                "+ms since the phase before)\n");
	for (;;) {
		int next = -1;
		for (int p = 0; p < TRACE_PHASES; p++)
			if (!done[p] && phase_ns[p] != 0 &&
			    (next < 0 || phase_ns[p] < phase_ns[next]))
				next = p;
		if (next < 0)
			break;
		done[next] = true;
		uint64_t t = phase_ns[next];
		fprintf(stderr, "  %8.3f  %+8.3f  %s\n", (double)(t - start) / 1e6,
		        (double)(t - prev) / 1e6, phase_names[next]);
		prev = t;
	}
}

_Noreturn void monitor_exit(int status)
{
	gdb_report_exit(status);
	core_on_exit(status);
	trace_mark(TRACE_EXIT);
	if (tracing)
		trace_print();
	stats_print();
	ondemand_vm_ended(status);
	exit(status);
}

_Noreturn void fatal(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs(MONITOR_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	monitor_exit(status);
}
