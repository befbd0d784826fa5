/* unilab-kvm: the command line. Monitor options come first; the first
 * word that is not one is the image, and everything after it belongs to
 * the guest. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"

#define STR(x) #x
#define XSTR(x) STR(x) /* a status macro's value, in the help text */

static const char usage[] =
	"usage: " MONITOR_NAME " [OPTIONS] IMAGE [CORE OPTIONS] [--] [APP ARGS...]\n"
	"\n"
	"Run a Unilab kvm image (APP.kvm) as a virtual machine on /dev/kvm.\n"
	"Words after IMAGE are the guest's command line: core options\n"
	"(key=value, e.g. loglevel=debug), then the app's arguments.\n"
	"\n"
	"options:\n"
	"  --mem=SIZE        guest memory, with a K, M or G suffix (default:\n"
	"                    4M, or the image plus 2M when that is larger;\n"
	"                    256K..4G)\n"
	"  --net=tap:NAME    attach the guest's next network interface to the\n"
	"                    TAP device NAME, which must exist and be up\n"
	"                    (ip tuntap add dev NAME mode tap; ip link set NAME up);\n"
	"                    up to 4\n"
	"  --disk=FILE       attach FILE as the guest's next block device, in\n"
	"                    512-byte sectors (read-only if FILE cannot be\n"
	"                    written); up to 4\n"
	"  --timeout=SECONDS stop the guest after SECONDS (may be fractional)\n"
	"  --gdb=PORT        wait for gdb on 127.0.0.1:PORT (0: any free port,\n"
	"                    printed) and stop before the guest's first\n"
	"                    instruction: gdb IMAGE -ex 'target remote :PORT'\n"
	"  --trace-boot      print the time of each boot phase on stderr\n"
	"  -h, --help        print this help\n"
	"\n"
	"exit status:\n"
	"  0..255  the guest's own exit status (the core uses 112..115:\n"
	"          panic, assertion, bad command line, CPU exception)\n"
	"  " XSTR(UL_KVM_EXIT_CRASH) "     the guest crashed with a CPU exception (report on stderr)\n"
	"  " XSTR(UL_KVM_EXIT_KILLED) "     gdb killed the guest\n"
	"  " XSTR(UL_KVM_EXIT_VM_FAULT) "     the guest touched memory outside its RAM, did stray\n"
	"          port I/O, halted with interrupts off, or made KVM fail\n"
	"  " XSTR(UL_KVM_EXIT_USAGE) "     bad option\n"
	"  " XSTR(UL_KVM_EXIT_BAD_IMAGE) "     the image cannot be loaded\n"
	"  " XSTR(UL_KVM_EXIT_HOST) "     a host failure: /dev/kvm, a KVM call, a TAP device, a disk\n"
	"  " XSTR(UL_KVM_EXIT_BAD_HYPERCALL) "     the guest made a bad hypercall\n"
	"  " XSTR(UL_KVM_EXIT_TIMEOUT) "     --timeout ran out\n"
	"  " XSTR(UL_KVM_EXIT_TRIPLE_FAULT) "     the guest triple-faulted\n";

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, MONITOR_NAME ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(" MONITOR_NAME " --help lists the options)\n");
	exit(UL_KVM_EXIT_USAGE);
}

/* SIZE: a number with an optional K, M or G (powers of 1024), rounded up
 * to whole pages. */
static uint64_t parse_mem(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	unsigned shift = 0;

	if (end == s || errno != 0 || *s == '-')
		usage_error("--mem=%s: not a size (try --mem=8M)", s);
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end != '\0')
		usage_error("--mem=%s: not a size (try --mem=8M)", s);
	if (n > (UL_KVM_MEM_MAX >> shift) || (n << shift) < UL_KVM_MEM_MIN)
		usage_error("--mem=%s: guest memory must be 256K..4G", s);
	n <<= shift;
	return (n + UL_KVM_PAGE - 1) & ~(UL_KVM_PAGE - 1);
}

static uint64_t parse_timeout(const char *s)
{
	char *end;
	errno = 0;
	double sec = strtod(s, &end);

	if (end == s || *end != '\0' || errno != 0 || !isfinite(sec) ||
	    sec <= 0 || sec > 1e6)
		usage_error("--timeout=%s: want seconds, more than 0", s);
	uint64_t us = (uint64_t)(sec * 1e6);
	return us > 0 ? us : 1;
}

static unsigned parse_port(const char *s)
{
	char *end;
	errno = 0;
	unsigned long port = strtoul(s, &end, 10);

	if (end == s || *end != '\0' || errno != 0 || *s == '-' || port > 65535)
		usage_error("--gdb=%s: want a TCP port, 0..65535", s);
	return (unsigned)port;
}

static const char *parse_net(const char *s)
{
	if (strncmp(s, "tap:", 4) != 0 || s[4] == '\0')
		usage_error("--net=%s: want tap:NAME", s);
	if (strlen(s + 4) >= 16) /* IFNAMSIZ, with its NUL */
		usage_error("--net=%s: interface names have at most 15 characters",
		            s);
	return s + 4;
}

enum { OPT_MEM = 1, OPT_NET, OPT_DISK, OPT_TIMEOUT, OPT_TRACE, OPT_GDB };

void options_parse(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{"mem", required_argument, NULL, OPT_MEM},
		{"net", required_argument, NULL, OPT_NET},
		{"disk", required_argument, NULL, OPT_DISK},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"trace-boot", no_argument, NULL, OPT_TRACE},
		{"gdb", required_argument, NULL, OPT_GDB},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(opt, 0, sizeof(*opt));
	opterr = 0; /* our own messages, with the --help hint */
	/* '+': stop at the image, so the guest's words are not ours. */
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_MEM:
			opt->mem_size = parse_mem(optarg);
			break;
		case OPT_NET:
			if (opt->net_count == UL_KVM_MAX_NET)
				usage_error("--net=%s: at most 4 network interfaces",
				            optarg);
			opt->net[opt->net_count++] = parse_net(optarg);
			break;
		case OPT_DISK:
			if (opt->disk_count == UL_KVM_MAX_BLOCK)
				usage_error("--disk=%s: at most 4 disks", optarg);
			opt->disk[opt->disk_count++] = optarg;
			break;
		case OPT_TIMEOUT:
			opt->timeout_us = parse_timeout(optarg);
			break;
		case OPT_TRACE:
			opt->trace_boot = true;
			break;
		case OPT_GDB:
			opt->gdb = true;
			opt->gdb_port = parse_port(optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			usage_error("unknown option or missing value: %s",
			            argv[optind - 1]);
		}
	}
	if (optind >= argc)
		usage_error("%s", "no IMAGE given");
	opt->image = argv[optind];
	opt->app_argc = argc - optind - 1;
	opt->app_argv = argv + optind + 1;
}
