/* router: a two-interface (up to four) IPv4 router with a stateful
 * firewall and NAT. It reads its rule file (built into the image,
 * apps/router/rules/), forwards between the interfaces through the
 * firewall, and serves its counters as text on a TCP status port. */
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include <unilab/strtol.h>
#include "config.h"
#include "firewall.h"

#define REPORT_MAX 16384

static struct ruleset rules;
static char report[REPORT_MAX];

static void usage(void)
{
	ul_printf("usage: router [--rules=FILE] [--status=PORT]\n"
	          "  routes between the image's interfaces through the firewall\n"
	          "  and NAT of rule file FILE (one built into the image,\n"
	          "  default router.rules); serves its counters as text on TCP\n"
	          "  PORT (default 8000, 0: none), where the rules allow\n");
}

static bool load_rules(const char *file)
{
	size_t len;
	const char *text = ul_config_need("router", "rule", file, &len);
	char err[256];
	if (!text)
		return false;
	if (!rules_parse(&rules, file, text, len, err, sizeof err)) {
		ul_printf("router: %s\n", err);
		return false;
	}
	return true;
}

/* The interfaces the rules name must exist and have an address. */
static bool check_interfaces(const char *file)
{
	unsigned n = 0;
	struct ul_net_if nif;
	while (ul_net_if_get(n, &nif) == 0)
		n++;
	if (n < 2) {
		ul_printf("router: the image has %u network interface%s; a router "
		          "needs two or more\n", n, n == 1 ? "" : "s");
		return false;
	}
	int highest = rules.masquerade_if;
	for (unsigned i = 0; i < rules.nrules; i++) {
		if (rules.rules[i].in_if > highest)
			highest = rules.rules[i].in_if;
		if (rules.rules[i].out_if > highest)
			highest = rules.rules[i].out_if;
	}
	for (unsigned i = 0; i < rules.nforwards; i++)
		if (rules.forwards[i].in_if > highest)
			highest = rules.forwards[i].in_if;
	if (highest >= (int)n) {
		ul_printf("router: %s names interface %d, but the image has only "
		          "%u\n", file, highest, n);
		return false;
	}
	for (unsigned i = 0; i < n; i++) {
		ul_net_if_get(i, &nif);
		char a[UL_IP_STRLEN];
		if (!nif.addr || nif.dhcp) {
			ul_printf("router: interface %u needs a fixed address "
			          "(ip=ADDR/PREFIX,ADDR/PREFIX)\n", i);
			return false;
		}
		ul_printf("router: interface %u %s: %s/%u%s\n", i,
		          rules.ifname[i][0] ? rules.ifname[i] : "-",
		          ul_ip_format(nif.addr, a), nif.prefix,
		          (int)i == rules.masquerade_if ? " (masquerade)" : "");
	}
	return true;
}

static void serve_status(int fd)
{
	for (;;) {
		int c = ul_accept(fd, NULL);
		if (c < 0)
			continue;
		size_t n = firewall_report(report, sizeof report);
		if (n >= sizeof report)
			n = sizeof report - 1;
		/* A reader that stalls must not hold the page for good. */
		ul_setsockopt(c, UL_SO_SNDTIMEO, (long)(5 * UL_S));
		ul_send(c, report, n, 0);
		ul_close(c);
	}
}

int ul_main(int argc, char **argv)
{
	const char *file = "router.rules";
	uint16_t status = 8000;
	for (int i = 1; i < argc; i++) {
		if (ul_strncmp(argv[i], "--rules=", 8) == 0 && argv[i][8]) {
			file = argv[i] + 8;
		} else if (ul_strncmp(argv[i], "--status=", 9) == 0) {
			unsigned long v;
			if (ul_parse_number(argv[i] + 9, 65535, &v) < 0) {
				usage();
				return 2;
			}
			status = (uint16_t)v;
		} else {
			usage();
			return 2;
		}
	}
	if (!load_rules(file))
		return 1;
	if (ul_net_start() < 0 || !check_interfaces(file))
		return 1;
	firewall_init(&rules);
	ul_forward_start(firewall_filter);
	ul_printf("router: %u rules, %u forwards, policy %s; forwarding\n",
	          rules.nrules, rules.nforwards, rules.policy_allow ? "allow" : "deny");
	if (status == 0) {
		for (;;)
			ul_sleep(UL_FOREVER);
	}
	int fd = ul_socket_serve(UL_SOCK_STREAM, status, 8);
	if (fd < 0) {
		ul_printf("router: cannot open tcp port %u: %s\n", status,
		          ul_strerror(fd));
		return 1;
	}
	ul_setsockopt(fd, UL_SO_NONBLOCK, 0);
	ul_printf("router: status on tcp port %u\n", status);
	serve_status(fd);
	return 0;
}
