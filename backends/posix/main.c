/* posix backend: process entry. Parses the backend's own options, maps the
 * heap, joins the rest of argv into the image's command line and boots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "platform.h"
#include "posix.h"
#include <unilab/mem.h>
#include <unilab/strtol.h>

#define DEFAULT_MEM (64ull << 20)
#define MIN_MEM (256ull << 10)

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
	        "  --help       this text\n"
	        "A first '--' ends these options: every word after it is the image's\n"
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

int main(int argc, char **argv)
{
	unsigned long long mem = DEFAULT_MEM;
	int host_net_options = 0;
	int i;
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			/* Ours: what follows is the image's command line, the
			 * words unilab-kvm takes after IMAGE, even those that
			 * start with "--". */
			i++;
			break;
		} else if (strcmp(a, "--help") == 0) {
			usage(stdout, argv[0]);
			return 0;
		} else if (strncmp(a, "--mem=", 6) == 0) {
			if (ul_parse_size(a + 6, &mem) < 0 || mem < MIN_MEM ||
			    mem > (1ull << 40)) {
				fprintf(stderr, "%s: bad --mem '%s': give a size from "
				        "256K to 1T, e.g. 64M\n", argv[0], a + 6);
				return 2;
			}
		} else if (strncmp(a, "--disk=", 7) == 0) {
			if (posix_block_attach(a + 7) < 0)
				return 2;
		} else if (strncmp(a, "--net=", 6) == 0) {
			if (posix_net_attach(a + 6) < 0)
				return 2;
			host_net_options++;
		} else if (strncmp(a, "--pcap=", 7) == 0) {
			if (posix_net_pcap(a + 7) < 0)
				return 2;
			host_net_options++;
		} else if (strncmp(a, "--sim=", 6) == 0) {
			if (posix_sim_attach(a + 6) < 0)
				return 2;
		} else {
			fprintf(stderr, "%s: unknown option '%s' (try --help)\n",
			        argv[0], a);
			return 2;
		}
	}

	if (posix_sim() && host_net_options) {
		fprintf(stderr, "%s: --net and --pcap cannot be used with --sim: "
		        "the simulator gives the interfaces and records them\n",
		        argv[0]);
		return 2;
	}

	mem &= ~(unsigned long long)(UL_PAGE_SIZE - 1);
	void *heap = mmap(NULL, mem, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *line = join_words(argv + i, argc - i);
	if (heap == MAP_FAILED || !line) {
		fprintf(stderr, "%s: cannot reserve %llu bytes of memory\n",
		        argv[0], mem);
		return 2;
	}

	struct ul_boot_info info = {
		.backend = "posix",
		.app = app_name(argv[0]),
		.heap_base = heap,
		.heap_size = mem,
		.cmdline = line,
		.net_count = posix_net_count(),
		.block_count = posix_block_count(),
	};
	ul_boot(&info);
}
