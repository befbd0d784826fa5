/* unilab-kvm: the command line. Monitor options come first; the first
 * word that is not one is the image, and everything after it belongs to
 * the guest. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"
#include "options.h"

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
	"  --net=NET         attach the guest's next network interface (up to 4);\n"
	"                    NET is one of\n"
	"      tap:NAME      an existing TAP device, up; make one with\n"
	"                    ip tuntap add dev NAME mode tap user $USER\n"
	"                    ip link set NAME up\n"
	"      pcap:IFACE    inject and capture frames on an existing interface\n"
	"                    (root, or CAP_NET_RAW and CAP_NET_ADMIN)\n"
	"      user[,hostfwd=[tcp|udp]:[HOSTADDR]:PORT-[GUESTADDR]:PORT]...\n"
	"                    user-mode networking, no root: the guest gets\n"
	"                    10.0.2.15/24 by DHCP (or static ip=10.0.2.15/24\n"
	"                    gw=10.0.2.2 dns=10.0.2.3); 10.0.2.2 is the host;\n"
	"                    hostfwd=tcp::8080-:80 sends 127.0.0.1:8080 to port\n"
	"                    80 of the guest (HOSTADDR 0.0.0.0: every address)\n"
	"                    add ,mac=02:xx:xx:xx:xx:xx to set the MAC address\n"
	"  --pcap=FILE       write every frame the guest sends or receives, on\n"
	"                    every interface, to FILE (tcpdump -r FILE, Wireshark)\n"
	"  --disk=FILE       attach FILE as the guest's next block device, in\n"
	"                    512-byte sectors (read-only if FILE cannot be\n"
	"                    written); up to 4\n"
	"  --timeout=SECONDS stop the guest after SECONDS (may be fractional)\n"
	"  --gdb=PORT        wait for gdb on 127.0.0.1:PORT (0: any free port,\n"
	"                    printed) and stop before the guest's first\n"
	"                    instruction: gdb IMAGE -ex 'target remote :PORT'\n"
	"  --gdb-listen=PORT let gdb attach later, while the guest runs, on\n"
	"                    127.0.0.1:PORT (0: any free port, printed); the\n"
	"                    guest stops when gdb attaches and runs on after it\n"
	"                    detaches. Without it, SIGUSR1 makes the monitor\n"
	"                    listen on a free port (./unilab attach PID does)\n"
	"  --dumpcore=DIR    when the guest crashes (CPU exception, panic,\n"
	"                    assertion, bad hypercall, triple fault), write an\n"
	"                    ELF core file DIR/core.IMAGE.PID: gdb IMAGE CORE\n"
	"                    (default: $UNILAB_DUMPCORE when set)\n"
	"  --on-demand[=keep-serving]\n"
	"                    set up the network first and make and boot the\n"
	"                    VM only when the first frame for the guest\n"
	"                    arrives (a connection to a hostfwd port, a frame\n"
	"                    on the TAP); when the guest ends with status 0\n"
	"                    (core option idle-exit=SECONDS), wait again and\n"
	"                    boot a fresh VM for the next request. A guest that\n"
	"                    fails ends the monitor with its status, unless\n"
	"                    =keep-serving. Needs --net; not with --gdb,\n"
	"                    --gdb-listen or --timeout\n"
	"  --trace-boot      print the time of each boot phase on stderr\n"
	"  --stats           print on stderr at the end: VM exits by reason,\n"
	"                    frames and notifications per network ring\n"
	"  --no-sandbox      do not install the seccomp filter that allows the\n"
	"                    monitor only the system calls its run loop needs\n"
	"                    (for debugging the monitor; said on stderr)\n"
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
	"  " XSTR(UL_KVM_EXIT_HOST) "     a host failure: /dev/kvm, a KVM call, a network interface, a disk\n"
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

/* A --mem, --timeout or --gdb value the shared parser refused. */
static void check(int r, const struct ul_host_error *err)
{
	if (r < 0)
		usage_error("%s", err->msg);
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

/* The syntax and its messages are backends/host's, the posix backend's. */
static void parse_net(const char *s, struct options *opt)
{
	struct ul_host_error err;

	if (opt->net_count == UL_KVM_MAX_NET)
		usage_error("%s", "--net: at most " XSTR(UL_KVM_MAX_NET)
		                  " network interfaces");
	if (ul_host_net_parse(s, &opt->net[opt->net_count], &err) < 0)
		usage_error("%s", err.msg);
	opt->net_count++;
}

enum { OPT_MEM = 1, OPT_NET, OPT_DISK, OPT_TIMEOUT, OPT_TRACE, OPT_GDB,
       OPT_PCAP, OPT_GDB_LISTEN, OPT_DUMPCORE, OPT_STATS, OPT_NO_SANDBOX,
       OPT_ON_DEMAND, OPT_HELP };

void options_parse(int argc, char **argv, struct options *opt)
{
	static const struct ul_host_option options[] = {
		{ "mem", UL_HOST_VALUE, OPT_MEM },
		{ "net", UL_HOST_VALUE, OPT_NET },
		{ "pcap", UL_HOST_VALUE, OPT_PCAP },
		{ "disk", UL_HOST_VALUE, OPT_DISK },
		{ "timeout", UL_HOST_VALUE, OPT_TIMEOUT },
		{ "trace-boot", UL_HOST_NO_VALUE, OPT_TRACE },
		{ "stats", UL_HOST_NO_VALUE, OPT_STATS },
		{ "gdb", UL_HOST_VALUE, OPT_GDB },
		{ "gdb-listen", UL_HOST_VALUE, OPT_GDB_LISTEN },
		{ "dumpcore", UL_HOST_VALUE, OPT_DUMPCORE },
		{ "no-sandbox", UL_HOST_NO_VALUE, OPT_NO_SANDBOX },
		{ "on-demand", UL_HOST_OPTIONAL_VALUE, OPT_ON_DEMAND },
		{ "help", UL_HOST_NO_VALUE, OPT_HELP },
		{ NULL, UL_HOST_NO_VALUE, 0 },
	};
	struct ul_host_args args = { argc, argv, 1 };
	struct ul_host_error err;
	const char *optarg;
	int c;

	memset(opt, 0, sizeof(*opt));
	opt->dumpcore = getenv("UNILAB_DUMPCORE"); /* the option wins */
	if (opt->dumpcore && !opt->dumpcore[0])
		opt->dumpcore = NULL;
	/* The options end at the image, so the guest's words are not ours. */
	while ((c = ul_host_option_next(&args, options, &optarg, &err)) > 0) {
		switch (c) {
		case OPT_MEM:
			check(ul_host_option_size(
				      "--mem", optarg, UL_KVM_MEM_MIN,
				      UL_KVM_MEM_MAX, &opt->mem_size, &err),
			      &err);
			/* Whole pages: round up. */
			opt->mem_size = (opt->mem_size + UL_KVM_PAGE - 1) &
			                ~(uint64_t)(UL_KVM_PAGE - 1);
			break;
		case OPT_NET:
			parse_net(optarg, opt);
			break;
		case OPT_PCAP:
			opt->pcap = optarg;
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
		case OPT_STATS:
			opt->stats = true;
			break;
		case OPT_GDB:
			opt->gdb = true;
			check(ul_host_option_port("--gdb", optarg,
						  &opt->gdb_port, &err),
			      &err);
			break;
		case OPT_GDB_LISTEN:
			opt->gdb_listen = true;
			check(ul_host_option_port("--gdb-listen", optarg,
						  &opt->gdb_listen_port, &err),
			      &err);
			break;
		case OPT_DUMPCORE:
			opt->dumpcore = optarg;
			break;
		case OPT_NO_SANDBOX:
			opt->no_sandbox = true;
			break;
		case OPT_ON_DEMAND:
			opt->on_demand = true;
			if (optarg && strcmp(optarg, "keep-serving") != 0)
				usage_error("--on-demand=%s: the only value is "
				            "keep-serving", optarg);
			opt->keep_serving = optarg != NULL;
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			exit(0);
		}
	}
	check(c, &err);
	if (args.next >= argc)
		usage_error("%s", "no IMAGE given");
	opt->image = argv[args.next];
	opt->app_argc = argc - args.next - 1;
	opt->app_argv = argv + args.next + 1;
}
