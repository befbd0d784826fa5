/* posix backend: process entry. Parses the backend's own options, maps the
 * heap, joins the rest of argv into the image's command line and boots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "options.h"
#include "platform.h"
#include "posix.h"
#include <unilab/mem.h>

#define DEFAULT_MEM (64ull << 20)
#define MIN_MEM (256ull << 10)
#define MAX_MEM (1ull << 40)

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
	        "usage: %s [--mem=SIZE] [--disk=FILE]... [--net=NET]... [--pcap=FILE]\n"
	        "       [--sim=FD]\n"
	        "       [--] [CORE OPTIONS] [--] [APP ARGS]\n"
	        "\n"
	        "Runs this Unilab image as a Linux process (the posix backend).\n"
	        "  --mem=SIZE   heap for the image, e.g. 512K, 16M, 1G (default 64M)\n"
	        "  --disk=FILE  attach FILE (or a host block device) as the next\n"
	        "               block device, 512-byte sectors (repeatable, at most\n"
	        "               4); read-only when FILE cannot be opened for writing\n"
	        "  --net=NET    attach the next network interface (repeatable, at\n"
	        "               most 4); NET is one of\n"
	        "      tap:NAME   an existing TAP device, up; make one with\n"
	        "                 ip tuntap add dev NAME mode tap user $USER\n"
	        "                 ip link set NAME up\n"
	        "      pcap:IFACE inject and capture frames on an existing interface\n"
	        "                 (root, or CAP_NET_RAW and CAP_NET_ADMIN)\n"
	        "      user[,hostfwd=[tcp|udp]:[HOSTADDR]:PORT-[GUESTADDR]:PORT]...\n"
	        "                 user-mode networking, no root: the image gets\n"
	        "                 10.0.2.15/24 by DHCP (or static ip=10.0.2.15/24\n"
	        "                 gw=10.0.2.2 dns=10.0.2.3); 10.0.2.2 is the host;\n"
	        "                 hostfwd=tcp::8080-:80 sends 127.0.0.1:8080 to port\n"
	        "                 80 of the image (HOSTADDR 0.0.0.0: every address)\n"
	        "               add ,mac=02:xx:xx:xx:xx:xx to set the MAC address\n"
	        "  --pcap=FILE  write every frame the image sends or receives, on\n"
	        "               every interface, to FILE (tcpdump -r FILE, Wireshark)\n"
	        "  --sim=FD     run as a node of the simulator (unilab-sim starts\n"
	        "               images this way): clocks, poll, interfaces and\n"
	        "               console go through the channel FD; no --net/--pcap\n"
	        "  -h, --help   this text\n"
	        "An option's value may also be the next word (--mem 16M). A first\n"
	        "'--' ends these options: every word after it is the image's\n"
	        "command line, even one that starts with '--'. Core options are\n"
	        "key=value words such as loglevel=debug; the first word that is not\n"
	        "one (or a second '--') starts the app's arguments.\n",
	        prog);
}

/* The last path component of argv[0] without its ".posix" suffix. */
static const char *app_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	char *name = strdup(slash ? slash + 1 : argv0);
	if (!name)
		return "app";
	size_t len = strlen(name);
	if (len > 6 && strcmp(name + len - 6, ".posix") == 0)
		name[len - 6] = '\0';
	return name;
}

/* Join words into one command line that core/cmdline.c splits back into the
 * same words: a word with a blank, a quote or a backslash (or an empty
 * word) goes in single quotes, and a single quote inside becomes '\''. */
static char *join_words(char **words, int n)
{
	size_t cap = 1;
	for (int i = 0; i < n; i++)
		cap += 4 * strlen(words[i]) + 3;
	char *line = malloc(cap), *p = line;
	if (!line)
		return NULL;
	for (int i = 0; i < n; i++) {
		const char *w = words[i];
		int quote = *w == '\0' || strpbrk(w, " \t\n'\"\\") != NULL;
		if (i > 0)
			*p++ = ' ';
		if (quote)
			*p++ = '\'';
		for (; *w; w++) {
			if (*w == '\'' && quote) {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *w;
			}
		}
		if (quote)
			*p++ = '\'';
	}
	*p = '\0';
	return line;
}

enum { OPT_HELP = 1, OPT_MEM, OPT_DISK, OPT_NET, OPT_PCAP, OPT_SIM };

static const struct ul_host_option options[] = {
	{ "help", UL_HOST_NO_VALUE, OPT_HELP },
	{ "mem", UL_HOST_VALUE, OPT_MEM },
	{ "disk", UL_HOST_VALUE, OPT_DISK },
	{ "net", UL_HOST_VALUE, OPT_NET },
	{ "pcap", UL_HOST_VALUE, OPT_PCAP },
	{ "sim", UL_HOST_VALUE, OPT_SIM },
	{ NULL, UL_HOST_NO_VALUE, 0 },
};

int main(int argc, char **argv)
{
	uint64_t mem = DEFAULT_MEM;
	int host_net_options = 0;
	struct ul_host_args args = { argc, argv, 1 };
	struct ul_host_error err;
	const char *v;
	int opt;
	while ((opt = ul_host_option_next(&args, options, &v, &err)) > 0) {
		int r = 0;
		switch (opt) {
		case OPT_HELP:
			usage(stdout, argv[0]);
			return 0;
		case OPT_MEM:
			r = ul_host_option_size("--mem", v, MIN_MEM, MAX_MEM,
						&mem, &err);
			if (r < 0)
				fprintf(stderr, "%s: %s\n", argv[0], err.msg);
			break;
		case OPT_DISK:
			r = ul_posix_block_attach(v);
			break;
		case OPT_NET:
			r = ul_posix_net_attach(v);
			host_net_options++;
			break;
		case OPT_PCAP:
			r = ul_posix_net_pcap(v);
			host_net_options++;
			break;
		case OPT_SIM:
			r = ul_posix_sim_attach(v);
			break;
		}
		if (r < 0)
			return 2;
	}
	if (opt < 0) {
		fprintf(stderr, "%s: %s (try --help)\n", argv[0], err.msg);
		return 2;
	}
	int i = args.next;

	if (ul_posix_ops != &ul_posix_host_ops && host_net_options) {
		fprintf(stderr, "%s: --net and --pcap cannot be used with --sim: "
		        "the simulator gives the interfaces and records them\n",
		        argv[0]);
		return 2;
	}

	mem &= ~(uint64_t)(UL_PAGE_SIZE - 1);
	void *heap = mmap(NULL, mem, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *line = join_words(argv + i, argc - i);
	if (heap == MAP_FAILED || !line) {
		fprintf(stderr, "%s: cannot reserve %llu bytes of memory\n",
		        argv[0], (unsigned long long)mem);
		return 2;
	}

	struct ul_boot_info info = {
		.backend = "posix",
		.app = app_name(argv[0]),
		.heap_base = heap,
		.heap_size = mem,
		.cmdline = line,
		.net_count = ul_posix_ops->net_count(),
		.block_count = ul_posix_block_count(),
	};
	ul_boot(&info);
}
