/* Bringing the stack up (ul_net_start): the backend's devices become
 * interfaces (device.c), the core options configure them, and DHCP asks
 * for the addresses not given. */
#include <stdbool.h>
#include <unilab/app.h>
#include <unilab/cmdline.h>
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/net.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/time.h>
#include "arp.h"
#include "device.h"
#include "dhcp.h"
#include "netif.h"
#include "platform.h"
#include "stack.h"

#define DHCP_WAIT_NS (10ull * 1000 * 1000 * 1000)

static unsigned nplat;
static bool started;
static int start_error; /* a bad option: the same answer every time */

/* ip=ENTRY[,ENTRY...], one entry (ADDR/PREFIX or dhcp) per interface. */
static int configure_addresses(const char *list)
{
	char entry[32];
	unsigned i = 0;
	while (list && *list) {
		const char *comma = ul_strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : ul_strlen(list);
		if (i >= nplat) {
			ul_error("net: ip= names more interfaces than the %u the "
			         "image has", nplat);
			return -UL_EINVAL;
		}
		if (len >= sizeof entry)
			len = sizeof entry - 1;
		ul_memcpy(entry, list, len);
		entry[len] = '\0';
		uint32_t addr;
		unsigned prefix;
		if (ul_strcmp(entry, "dhcp") == 0) {
			net_device(i)->dhcp = 1;
		} else if (ul_ip_parse_cidr(entry, &addr, &prefix) == 0 &&
		           addr != 0) {
			net_device(i)->dhcp = 0;
			netif_set_addr(net_device(i), addr, prefix);
		} else {
			ul_error("net: bad ip= entry '%s' (want ADDR/PREFIX, "
			         "e.g. 10.0.0.2/24, or dhcp)", entry);
			return -UL_EINVAL;
		}
		i++;
		list = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int configure_arp(const char *entries)
{
	char *end;
	int err = 0;
	if (!entries)
		return 0;
	unsigned long n = ul_strtoul(entries, &end, 10, &err);
	if (err || *end || end == entries || n > ARP_ENTRIES_MAX ||
	    arp_set_size((unsigned)n) < 0) {
		ul_error("net: bad arp_entries=%s (want %u..%u)", entries,
		         ARP_ENTRIES_MIN, ARP_ENTRIES_MAX);
		return -UL_EINVAL;
	}
	return 0;
}

static int option_addr(const char *key, uint32_t *out)
{
	const char *v = ul_option(key);
	if (!v)
		return 0;
	if (ul_ip_parse(v, out) < 0) {
		ul_error("net: bad %s=%s (want a dotted quad, e.g. 10.0.0.1)",
		         key, v);
		return -UL_EINVAL;
	}
	return 0;
}

static void describe(const struct netif *nif)
{
	char a[UL_IP_STRLEN];
	const uint8_t *m = nif->mac;
	ul_info("net: if%u %02x:%02x:%02x:%02x:%02x:%02x mtu %u %s%s/%u",
	        nif->index, m[0], m[1], m[2], m[3], m[4], m[5], nif->mtu,
	        nif->dhcp ? "dhcp " : "", ul_ip_format(nif->addr, a),
	        nif->prefix);
}

int ul_net_start(void)
{
	if (started)
		return 0;
	if (start_error)
		return start_error;
	nplat = net_devices_probe();
	if (nplat == 0) {
		ul_error("net: this image has no network interface (give "
		         "it one, e.g. ./unilab run APP --net=user or "
		         "--net=tap:NAME; on xen, run it as a guest domain "
		         "with --backend=xen --domu)");
		return -UL_ENODEV;
	}
	for (unsigned i = 0; i < nplat; i++)
		net_device(i)->dhcp = 1;
	if (configure_arp(ul_option("arp_entries")) < 0 ||
	    configure_addresses(ul_option("ip")) < 0 ||
	    option_addr("gw", &net_gateway) < 0 ||
	    option_addr("dns", &net_dns) < 0 || net_idle_start() < 0)
		return start_error = -UL_EINVAL;
	if (net_rx_start() < 0)
		return -UL_ENOMEM;
	started = true;
	bool any_dhcp = false;
	for (unsigned i = 0; i < nplat; i++) {
		if (net_device(i)->dhcp) {
			any_dhcp = true;
			dhcp_start(net_device(i));
		} else {
			arp_announce(net_device(i));
		}
	}
	int rc = any_dhcp ? dhcp_wait_bound(ul_deadline_after(DHCP_WAIT_NS))
	                  : 0;
	for (unsigned i = 0; i < nplat; i++)
		describe(net_device(i));
	if (rc < 0)
		ul_warn("net: no DHCP lease yet; still asking in the background");
	return rc;
}

/* Without it an app that only makes sockets would wait forever for frames
 * nobody reads (the scheduler's "deadlock" panic). */
int net_autostart(void)
{
	struct ul_net_info info;

	if (started || start_error)
		return start_error;
	if (ul_plat_net_info(0, &info) < 0)
		return 0;
	int rc = ul_net_start();
	return rc == -UL_ETIMEDOUT ? 0 : rc;
}
