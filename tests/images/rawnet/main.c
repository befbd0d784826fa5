/* rawnet: a test image that answers ARP and ICMP echo requests for one
 * IPv4 address, echoes UDP datagrams on every port, and can ping, all with
 * Ethernet frames built by hand on the platform's raw interface calls. It
 * proves each backend's network plumbing with no network stack at all.
 *
 *   rawnet serve IP [SECONDS]       answer on every interface (default 60 s)
 *   rawnet ping IP TARGET [COUNT]   ARP for TARGET on interface 0, then
 *                                   send COUNT echo requests (default 3)
 */
#include "platform.h"
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/thread.h>
#include <unilab/time.h>

#define ETH_ARP 0x0806
#define ETH_IPV4 0x0800
#define IP_ICMP 1
#define IP_UDP 17
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO 8
#define PING_ID 0x554c /* "UL": our echo requests, told apart from others' */
#define MIN_FRAME 60   /* Ethernet's minimum, without the FCS */

struct iface {
	unsigned index;
	struct ul_net_info info;
};

static struct iface ifaces[UL_MAX_NET];
static unsigned iface_count;
static uint32_t my_ip;

/* What ping waits for, filled in as frames arrive. */
static uint32_t ping_target;
static int target_known;
static uint8_t target_mac[6];
static unsigned last_reply_seq;

static unsigned arp_replies, echo_replies, udp_replies;

static uint8_t rx[65536], tx[65536];

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* RFC 1071: one's-complement sum of 16-bit words, folded. */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static const char *ip_text(uint32_t ip)
{
	static char buf[4][16];
	static unsigned next;
	char *b = buf[next++ % 4];
	ul_snprintf(b, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
	            (ip >> 8) & 255, ip & 255);
	return b;
}

static int parse_ip(const char *s, uint32_t *ip)
{
	uint32_t v = 0;
	for (int part = 0; part < 4; part++) {
		char *end;
		int err;
		if (*s < '0' || *s > '9')
			return -1;
		unsigned long n = ul_strtoul(s, &end, 10, &err);
		if (err || n > 255 || *end != (part < 3 ? '.' : '\0'))
			return -1;
		v = v << 8 | (uint32_t)n;
		s = end + 1;
	}
	*ip = v;
	return 0;
}

/* Pad to Ethernet's minimum and hand the frame in tx to the backend. */
static void transmit(const struct iface *ifc, size_t len)
{
	if (len < MIN_FRAME) {
		ul_memset(tx + len, 0, MIN_FRAME - len);
		len = MIN_FRAME;
	}
	long r = ul_plat_net_send(ifc->index, tx, len);
	if (r != (long)len)
		ul_printf("rawnet: net%u: send of %zu bytes failed: %ld\n",
		          ifc->index, len, r);
}

static void eth_header(const struct iface *ifc, const uint8_t *dst,
                       uint16_t type)
{
	ul_memcpy(tx, dst, 6);
	ul_memcpy(tx + 6, ifc->info.mac, 6);
	put16(tx + 12, type);
}

static void send_arp(const struct iface *ifc, uint16_t op, const uint8_t *dst_mac,
                     uint32_t target_ip)
{
	static const uint8_t broadcast[6] = {255, 255, 255, 255, 255, 255};
	uint8_t *a = tx + 14;
	eth_header(ifc, op == 1 ? broadcast : dst_mac, ETH_ARP);
	put16(a, 1);            /* Ethernet */
	put16(a + 2, ETH_IPV4); /* IPv4 */
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	ul_memcpy(a + 8, ifc->info.mac, 6);
	put32(a + 14, my_ip);
	if (op == 1)
		ul_memset(a + 18, 0, 6);
	else
		ul_memcpy(a + 18, dst_mac, 6);
	put32(a + 24, target_ip);
	transmit(ifc, 14 + 28);
}

/* Ethernet and IPv4 headers for plen payload bytes; returns the payload. */
static uint8_t *ip_header(const struct iface *ifc, const uint8_t *dst_mac,
                          uint32_t dst, uint8_t proto, size_t plen)
{
	static uint16_t id;
	uint8_t *ip = tx + 14;
	eth_header(ifc, dst_mac, ETH_IPV4);
	ul_memset(ip, 0, 20);
	ip[0] = 0x45; /* version 4, 5 words */
	put16(ip + 2, (uint16_t)(20 + plen));
	put16(ip + 4, id++);
	ip[8] = 64; /* TTL */
	ip[9] = proto;
	put32(ip + 12, my_ip);
	put32(ip + 16, dst);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
	return ip + 20;
}

static void send_echo(const struct iface *ifc, uint32_t dst, unsigned seq)
{
	static const char data[] = "unilab rawnet ping payload, 32 B";
	size_t len = 8 + sizeof(data) - 1;
	uint8_t *icmp = ip_header(ifc, target_mac, dst, IP_ICMP, len);
	icmp[0] = ICMP_ECHO;
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, PING_ID);
	put16(icmp + 6, (uint16_t)seq);
	ul_memcpy(icmp + 8, data, sizeof(data) - 1);
	put16(icmp + 2, fold(sum16(icmp, len, 0)));
	transmit(ifc, 14 + 20 + len);
}

static void handle_arp(const struct iface *ifc, const uint8_t *f, size_t len)
{
	const uint8_t *a = f + 14;
	if (len < 14 + 28 || get16(a) != 1 || get16(a + 2) != ETH_IPV4 ||
	    a[4] != 6 || a[5] != 4)
		return;
	uint16_t op = get16(a + 6);
	uint32_t sender = get32(a + 14);
	if (op == 2 && ping_target && sender == ping_target) {
		ul_memcpy(target_mac, a + 8, 6);
		target_known = 1;
	}
	if (op == 1 && get32(a + 24) == my_ip) {
		send_arp(ifc, 2, a + 8, sender);
		arp_replies++;
		ul_printf("rawnet: net%u: ARP reply to %s\n", ifc->index,
		          ip_text(sender));
	}
}

static void handle_icmp(const struct iface *ifc, const uint8_t *f,
                        uint32_t src, const uint8_t *icmp, size_t len)
{
	if (len < 8 || fold(sum16(icmp, len, 0)) != 0)
		return;
	if (icmp[0] == ICMP_ECHO_REPLY && get16(icmp + 4) == PING_ID &&
	    src == ping_target) {
		last_reply_seq = get16(icmp + 6);
		return;
	}
	if (icmp[0] != ICMP_ECHO)
		return;
	uint8_t *out = ip_header(ifc, f + 6, src, IP_ICMP, len);
	ul_memcpy(out, icmp, len);
	out[0] = ICMP_ECHO_REPLY;
	put16(out + 2, 0);
	put16(out + 2, fold(sum16(out, len, 0)));
	transmit(ifc, 14 + 20 + len);
	echo_replies++;
	ul_printf("rawnet: net%u: echo reply to %s seq=%u\n", ifc->index,
	          ip_text(src), get16(icmp + 6));
}

/* Check the datagram and send it back with the ports swapped. Checksums
 * cover a pseudo-header of the addresses, protocol and length (RFC 768). */
static void handle_udp(const struct iface *ifc, const uint8_t *f, uint32_t src,
                       const uint8_t *udp, size_t len)
{
	if (len < 8 || get16(udp + 4) < 8 || get16(udp + 4) > len)
		return;
	len = get16(udp + 4);
	uint32_t pseudo_in = sum16(f + 14 + 12, 8, IP_UDP + (uint32_t)len);
	if (get16(udp + 6) != 0 && fold(sum16(udp, len, pseudo_in)) != 0) {
		/* As a stack would; and a sender that left its checksum to
		 * offloading hardware shows up here. */
		ul_printf("rawnet: net%u: UDP datagram from %s with a bad "
		          "checksum dropped\n", ifc->index, ip_text(src));
		return;
	}
	uint8_t *out = ip_header(ifc, f + 6, src, IP_UDP, len);
	ul_memcpy(out, udp, len);
	put16(out, get16(udp + 2));
	put16(out + 2, get16(udp));
	put16(out + 6, 0);
	uint32_t pseudo = sum16(tx + 14 + 12, 8, IP_UDP + (uint32_t)len);
	uint16_t sum = fold(sum16(out, len, pseudo));
	put16(out + 6, sum ? sum : 0xffff); /* 0 would mean "no checksum" */
	transmit(ifc, 14 + 20 + len);
	udp_replies++;
	ul_printf("rawnet: net%u: UDP echo of %zu bytes to %s:%u from port %u\n",
	          ifc->index, len - 8, ip_text(src), get16(udp), get16(udp + 2));
}

static void handle_ipv4(const struct iface *ifc, const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + 14;
	if (len < 14 + 20 || ip[0] >> 4 != 4)
		return;
	size_t hlen = (size_t)(ip[0] & 15) * 4, total = get16(ip + 2);
	if (hlen < 20 || total < hlen || total > len - 14 ||
	    fold(sum16(ip, hlen, 0)) != 0 || get32(ip + 16) != my_ip ||
	    (get16(ip + 6) & 0x3fff) != 0) /* fragments: not for a test image */
		return;
	uint32_t src = get32(ip + 12);
	if (ip[9] == IP_ICMP)
		handle_icmp(ifc, f, src, ip + hlen, total - hlen);
	else if (ip[9] == IP_UDP)
		handle_udp(ifc, f, src, ip + hlen, total - hlen);
}

/* Take every waiting frame of every interface. */
static void drain(void)
{
	for (unsigned i = 0; i < iface_count; i++) {
		long n;
		while ((n = ul_plat_net_recv(i, rx, sizeof(rx))) != -UL_EAGAIN) {
			if (n < 14) {
				ul_printf("rawnet: net%u: receive failed: %ld\n", i, n);
				break;
			}
			if (get16(rx + 12) == ETH_ARP)
				handle_arp(&ifaces[i], rx, (size_t)n);
			else if (get16(rx + 12) == ETH_IPV4)
				handle_ipv4(&ifaces[i], rx, (size_t)n);
		}
	}
}

/* Answer frames until deadline, or until done() says what we wait for came. */
static void run_until(uint64_t deadline, int (*done)(void))
{
	uint32_t all = (1u << iface_count) - 1;
	while (!(done && done()) && ul_now() < deadline) {
		ul_device_wait(all, deadline);
		drain();
	}
}

static int target_resolved(void)
{
	return target_known;
}

static unsigned expected_seq;

static int reply_came(void)
{
	return last_reply_seq == expected_seq;
}

static int ping(uint32_t target, unsigned count)
{
	const struct iface *ifc = &ifaces[0];
	ping_target = target;
	for (int try = 0; try < 10 && !target_known; try++) {
		send_arp(ifc, 1, NULL, target);
		run_until(ul_deadline_after(500 * UL_MS), target_resolved);
	}
	if (!target_known) {
		ul_printf("rawnet: no ARP reply from %s\n", ip_text(target));
		return 1;
	}
	ul_printf("rawnet: %s is at %02x:%02x:%02x:%02x:%02x:%02x\n",
	          ip_text(target), target_mac[0], target_mac[1], target_mac[2],
	          target_mac[3], target_mac[4], target_mac[5]);
	for (unsigned seq = 1; seq <= count; seq++) {
		uint64_t sent = ul_now();
		expected_seq = seq;
		send_echo(ifc, target, seq);
		run_until(ul_deadline_after(2 * UL_S), reply_came);
		if (!reply_came()) {
			ul_printf("rawnet: no echo reply from %s seq=%u\n",
			          ip_text(target), seq);
			return 1;
		}
		ul_printf("rawnet: echo reply from %s seq=%u time=%llu us\n",
		          ip_text(target), seq,
		          (unsigned long long)((ul_now() - sent) / UL_US));
	}
	return 0;
}

static int serve(uint64_t seconds)
{
	ul_printf("rawnet: serving %s on %u interface(s) for %llu s\n",
	          ip_text(my_ip), iface_count, (unsigned long long)seconds);
	run_until(ul_deadline_after(seconds * UL_S), NULL);
	ul_printf("rawnet: done: %u ARP, %u echo, %u UDP replies\n", arp_replies,
	          echo_replies, udp_replies);
	return 0;
}

static int find_interfaces(void)
{
	for (unsigned i = 0; i < UL_MAX_NET; i++) {
		struct iface *ifc = &ifaces[iface_count];
		if (ul_plat_net_info(i, &ifc->info) < 0)
			break;
		ifc->index = i;
		iface_count++;
		const uint8_t *m = ifc->info.mac;
		ul_printf("rawnet: net%u: mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u\n",
		          i, m[0], m[1], m[2], m[3], m[4], m[5], ifc->info.mtu);
	}
	if (iface_count == 0)
		ul_printf("rawnet: no network interface; start the image with "
		          "--net=...\n");
	return iface_count > 0;
}

/* A whole decimal number in [1, max], or 0. */
static unsigned long number(const char *s, unsigned long max)
{
	char *end;
	int err;
	unsigned long n = ul_strtoul(s, &end, 10, &err);
	return *s >= '0' && *s <= '9' && *end == '\0' && !err && n <= max ? n : 0;
}

int ul_main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int pinging = ul_strcmp(mode, "ping") == 0;
	uint32_t target = 0;
	unsigned long n = 0;
	int ok = argc > 2 && parse_ip(argv[2], &my_ip) == 0;
	if (ok && ul_strcmp(mode, "serve") == 0 && argc <= 4)
		ok = (n = argc > 3 ? number(argv[3], 86400) : 60) != 0;
	else if (ok && pinging && argc >= 4 && argc <= 5)
		ok = parse_ip(argv[3], &target) == 0 && target != 0 &&
		     (n = argc > 4 ? number(argv[4], 1000) : 3) != 0;
	else
		ok = 0;
	if (!ok) {
		ul_printf("usage: rawnet serve IP [SECONDS] | "
		          "rawnet ping IP TARGET [COUNT]\n");
		return 2;
	}
	if (!find_interfaces())
		return 1;
	return pinging ? ping(target, (unsigned)n) : serve(n);
}
