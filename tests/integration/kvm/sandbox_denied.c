/* The monitor's sandbox (backends/kvm/monitor/sandbox.c) on its own: put
 * the filter up for the options the words name, then make one system call
 * and print what came back. A call the filter allows returns; one it does
 * not must end the process with the sandbox's report naming the call.
 *
 *     sandbox_denied [OPTION...] CALL
 *
 * OPTION: user, disk, gdb (the monitor's --net=user, --disk, --gdb).
 * CALL: getpid, open, socket-inet, socket-unix, exec-memory, execve. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "monitor.h"

/* The monitor's report.c ends the monitor; here only the words matter. */
_Noreturn void fatal(int status, const char *fmt, ...)
{
	va_list ap;

	fputs(MONITOR_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static long call(const char *name)
{
	if (strcmp(name, "getpid") == 0)
		return getpid();
	if (strcmp(name, "open") == 0)
		return open("/etc/hostname", O_RDONLY);
	if (strcmp(name, "socket-inet") == 0)
		return socket(AF_INET, SOCK_DGRAM, 0);
	if (strcmp(name, "socket-stream") == 0) /* gdb attaching later */
		return socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (strcmp(name, "socket-unix") == 0)
		return socket(AF_UNIX, SOCK_DGRAM, 0);
	if (strcmp(name, "exec-memory") == 0)
		return mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED
		               ? -1 : 0;
	if (strcmp(name, "execve") == 0) {
		char *argv[] = {"/bin/true", NULL};
		return execve(argv[0], argv, NULL);
	}
	fprintf(stderr, "sandbox_denied: unknown call %s\n", name);
	exit(2);
}

int main(int argc, char **argv)
{
	struct options opt;

	memset(&opt, 0, sizeof(opt));
	if (argc < 2) {
		fprintf(stderr, "usage: sandbox_denied [user|disk|gdb]... CALL\n");
		return 2;
	}
	for (int i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "user") == 0)
			opt.net[opt.net_count++].kind = HOST_NET_USER;
		else if (strcmp(argv[i], "disk") == 0)
			opt.disk[opt.disk_count++] = "disk.img";
		else if (strcmp(argv[i], "gdb") == 0)
			opt.gdb = true;
	}
	sandbox_enter(&opt, -1);
	long r = call(argv[argc - 1]);
	printf("%s: allowed (%s)\n", argv[argc - 1], r < 0 ? "failed" : "done");
	return 0;
}
