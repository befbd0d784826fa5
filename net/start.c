/* Bringing the stack up: the backend's interfaces become netifs, the
 * core options configure them, and one receive thread drains every
 * interface, sleeping in ul_device_wait while they are quiet. */
#include <stdbool.h>
#include <unilab/app.h>
#include <unilab/cmdline.h>
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/net.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include "arp.h"
#include "dhcp.h"
#include "eth.h"
#include "netif.h"
#include "platform.h"
#include "stack.h"

#define RX_BATCH 64 /* frames per interface before other threads run */
#define RX_STACK (64 * 1024)
#define DHCP_WAIT_NS (10ull * 1000 * 1000 * 1000)
#define VLAN_SLACK 4 /* a tagged frame is dropped, not truncated */

static struct netif plat_ifs[UL_MAX_NET];
static unsigned nplat;
static bool started;
static int start_error; /* a bad option: the same answer every time */

static int plat_output(struct netif *nif, const void *frame, size_t len)
{
	long rc = ul_plat_net_send(nif->index, frame, len);
	net_idle_traffic();
	return rc < 0 ? (int)rc : 0;
}

/* Read frames from one interface until it has none or RX_BATCH were
 * read; true in the second case (more may be waiting). */
static bool drain(struct netif *nif)
{
	for (unsigned n = 0; n < RX_BATCH; n++) {
		struct pbuf *p = pbuf_alloc(0, (size_t)nif->mtu + ETH_HLEN +
		                                   VLAN_SLACK);
		if (!p)
			return true;
		long r = ul_plat_net_recv(nif->index, p->data, p->len);
		if (r < 0) {
			pbuf_free(p);
			if (r != -UL_EMSGSIZE)
				return false;
			NET_COUNT(eth_drop);
			continue;
		}
		p->len = (size_t)r;
		net_idle_traffic();
		eth_input(nif, p);
	}
	return true;
}

/* An interface that had nothing is not asked again until the backend
 * says it has input: on a hypervisor every needless ask is a VM exit. */
static void *rx_thread(void *arg)
{
	uint32_t mask = 0;
	(void)arg;
	for (unsigned i = 0; i < nplat; i++)
		mask |= UL_READY_NET(i);
	for (;;) {
		bool more = false;
		for (unsigned i = 0; i < nplat; i++)
			more |= drain(&plat_ifs[i]);
		if (more)
			ul_yield();
		else
			ul_device_wait(mask, UL_FOREVER);
	}
	return NULL;
}

static unsigned probe_interfaces(void)
{
	unsigned n = 0;
	for (; n < UL_MAX_NET; n++) {
		struct ul_net_info info;
		if (ul_plat_net_info(n, &info) < 0)
			break;
		struct netif *nif = &plat_ifs[n];
		ul_memcpy(nif->mac, info.mac, 6);
		nif->mtu = info.mtu >= 576 ? info.mtu : 1500;
		nif->output = plat_output;
		if (netif_add(nif) < 0)
			break;
	}
	return n;
}

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
			plat_ifs[i].dhcp = 1;
		} else if (ul_ip_parse_cidr(entry, &addr, &prefix) == 0 &&
		           addr != 0) {
			plat_ifs[i].dhcp = 0;
			netif_set_addr(&plat_ifs[i], addr, prefix);
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
	nplat = probe_interfaces();
	if (nplat == 0) {
		ul_error("net: this image has no network interface (give "
		         "it one, e.g. ./unilab run APP --net=user or "
		         "--net=tap:NAME; on xen, run it as a guest domain "
		         "with --backend=xen --domu)");
		return -UL_ENODEV;
	}
	for (unsigned i = 0; i < nplat; i++)
		plat_ifs[i].dhcp = 1;
	if (configure_arp(ul_option("arp_entries")) < 0 ||
	    configure_addresses(ul_option("ip")) < 0 ||
	    option_addr("gw", &net_gateway) < 0 ||
	    option_addr("dns", &net_dns) < 0 || net_idle_start() < 0)
		return start_error = -UL_EINVAL;
	if (!ul_thread_create("net-rx", rx_thread, NULL, RX_STACK))
		return -UL_ENOMEM;
	started = true;
	bool any_dhcp = false;
	for (unsigned i = 0; i < nplat; i++) {
		if (plat_ifs[i].dhcp) {
			any_dhcp = true;
			dhcp_start(&plat_ifs[i]);
		} else {
			arp_announce(&plat_ifs[i]);
		}
	}
	int rc = any_dhcp ? dhcp_wait_bound(ul_deadline_after(DHCP_WAIT_NS))
	                  : 0;
	for (unsigned i = 0; i < nplat; i++)
		describe(&plat_ifs[i]);
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
