/* The backend's network devices as interfaces: each one the platform
 * offers becomes a netif that sends through ul_plat_net_send, and one
 * receive thread drains them all into eth_input, sleeping in
 * ul_device_wait while they are quiet. */
#include <stdbool.h>
#include <unilab/errno.h>
#include <unilab/string.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include "device.h"
#include "eth.h"
#include "platform.h"
#include "stack.h"

#define RX_BATCH 64 /* frames per interface before other threads run */
#define RX_STACK (64 * 1024)
#define VLAN_SLACK 4 /* a tagged frame is dropped, not truncated */

static struct netif devs[UL_MAX_NET];
static unsigned ndevs;

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
		struct pbuf *p = pbuf_alloc(0, (size_t)nif->mtu + UL_ETH_HLEN +
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
	for (unsigned i = 0; i < ndevs; i++)
		mask |= UL_READY_NET(i);
	for (;;) {
		bool more = false;
		for (unsigned i = 0; i < ndevs; i++)
			more |= drain(&devs[i]);
		if (more)
			ul_yield();
		else
			ul_device_wait(mask, UL_FOREVER);
	}
	return NULL;
}

unsigned net_devices_probe(void)
{
	unsigned n = 0;
	for (; n < UL_MAX_NET; n++) {
		struct ul_net_info info;
		if (ul_plat_net_info(n, &info) < 0)
			break;
		struct netif *nif = &devs[n];
		ul_memcpy(nif->mac, info.mac, UL_ETH_ADDR_LEN);
		nif->mtu = info.mtu >= IP_MIN_DATAGRAM ? info.mtu : UL_ETH_MTU;
		nif->output = plat_output;
		if (netif_add(nif) < 0)
			break;
	}
	ndevs = n;
	return n;
}

struct netif *net_device(unsigned i)
{
	return i < ndevs ? &devs[i] : NULL;
}

int net_rx_start(void)
{
	if (!ul_thread_create("net-rx", rx_thread, NULL, RX_STACK))
		return -UL_ENOMEM;
	return 0;
}

