/* dhcpd: a DHCP server (RFC 2131, options from RFC 2132) on the stack's
 * UDP sockets. It leases FIRST..FIRST+COUNT-1 on the subnet of its own
 * interface 0 (give it a static ip=), and static addresses to the MACs
 * named, with its gw= and dns= as router and DNS server. Leases live in
 * memory: a restart forgets them (clients then renew into NAKs and start
 * over, as RFC 2131 expects).
 *
 *   dhcpd FIRST COUNT [LEASE_SECONDS] [--static=MAC,ADDR]... [--domain=NAME]
 */
#include <stdbool.h>
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/time.h>
#include "msg.h"
#include "pool.h"

#define OFFER_HOLD (60 * UL_S)    /* an offer is kept this long for a REQUEST */
#define DECLINE_HOLD (600 * UL_S) /* a declined address rests this long */
#define DOMAIN_MAX 200

static uint32_t lease_s = 3600;
static uint32_t me, mask;
static struct reply_options opts;
static int fd;

static const char *mac_text(const uint8_t *m)
{
	static char buf[18];
	ul_snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
	            m[2], m[3], m[4], m[5]);
	return buf;
}

static const char *ip_text(uint32_t ip)
{
	static char buf[UL_IP_STRLEN];
	return ul_ip_format(ip, buf);
}

/* Send a reply of type to r (RFC 2131 4.1): to the client's address once
 * it has one, else broadcast, since it cannot answer ARP yet. */
static void send_reply(const struct request *r, uint8_t type, uint32_t yiaddr,
                       uint32_t lease)
{
	static uint8_t out[MSG_MAX];
	struct reply_options o = opts;
	o.lease = lease;
	size_t len = msg_reply(out, r, type, yiaddr, &o);
	struct ul_sockaddr to = {r->ciaddr && type != NAK ? r->ciaddr
	                                                  : UL_IP_BROADCAST,
	                         CLIENT_PORT};
	long n = ul_sendto(fd, out, len, 0, &to);
	if (n < 0)
		ul_printf("dhcpd: cannot send to %s: %s\n", ip_text(to.addr),
		          ul_strerror((int)n));
}

static bool on_subnet(uint32_t addr)
{
	return (addr & mask) == (me & mask);
}

static void bind_and_ack(const struct request *r, struct lease *l, uint64_t now)
{
	l->state = BOUND;
	l->until = now + (uint64_t)lease_s * UL_S;
	ul_printf("dhcpd: lease %s to %s for %u s\n", ip_text(l->addr),
	          mac_text(r->chaddr), lease_s);
	send_reply(r, ACK, l->addr, lease_s);
}

static void nak(const struct request *r, uint32_t addr)
{
	ul_printf("dhcpd: refuse %s to %s\n", ip_text(addr), mac_text(r->chaddr));
	send_reply(r, NAK, 0, 0);
}

/* REQUEST in its three forms (RFC 2131 4.3.2): answering our offer
 * (server id set), confirming an address after a reboot (requested
 * address, no server id), renewing (ciaddr). */
static void request(const struct request *r, uint64_t now)
{
	struct lease *l = pool_of(r->chaddr, now);
	if (r->server) {
		if (r->server != me) {
			if (l && l->state == OFFERED)
				l->until = now; /* it took another server's offer */
			return;
		}
		if (l && l->addr == r->requested)
			bind_and_ack(r, l, now);
		else
			nak(r, r->requested);
		return;
	}
	uint32_t addr = r->requested ? r->requested : r->ciaddr;
	if (l && l->addr == addr) {
		bind_and_ack(r, l, now);
		return;
	}
	/* No record of this client: silent, unless the address is plainly
	 * wrong here (another subnet, or another client's). */
	struct lease *other = pool_at(addr);
	if (!on_subnet(addr) || r->ciaddr ||
	    (other && !pool_free(other, now)) || (other && other->is_static))
		nak(r, addr);
}

static void serve(const struct request *r)
{
	uint64_t now = ul_now();
	const char *mac = mac_text(r->chaddr);
	struct lease *l;
	if (r->giaddr) {
		ul_printf("dhcpd: ignoring a relayed message from %s (relays are "
		          "not served)\n", ip_text(r->giaddr));
		return;
	}
	switch (r->type) {
	case DISCOVER:
		l = pool_offer(r->chaddr, r->requested, now, now + OFFER_HOLD);
		if (!l) {
			ul_printf("dhcpd: no address left for %s\n", mac);
			return;
		}
		ul_printf("dhcpd: offer %s to %s\n", ip_text(l->addr), mac);
		send_reply(r, OFFER, l->addr, lease_s);
		return;
	case REQUEST:
		request(r, now);
		return;
	case DECLINE:
		l = pool_at(r->requested);
		if (r->server == me && l && !l->is_static &&
		    ul_memcmp(l->mac, r->chaddr, MAC_LEN) == 0) {
			ul_printf("dhcpd: %s declined %s: it is in use; resting it\n",
			          mac, ip_text(l->addr));
			l->state = DECLINED;
			l->until = now + DECLINE_HOLD;
		}
		return;
	case RELEASE:
		l = pool_of(r->chaddr, now);
		if (l && l->addr == r->ciaddr) {
			ul_printf("dhcpd: %s released %s\n", mac, ip_text(l->addr));
			l->state = FREE;
		}
		return;
	case INFORM: /* configuration only: no address, no lease */
		if (r->ciaddr) {
			ul_printf("dhcpd: inform %s at %s\n", mac, ip_text(r->ciaddr));
			send_reply(r, ACK, 0, 0);
		}
		return;
	}
}

static int number(const char *s, unsigned long max, uint32_t *out)
{
	unsigned long v;
	if (ul_parse_number(s, max, &v) < 0 || v == 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[MAC_LEN])
{
	for (int i = 0; i < MAC_LEN; i++) {
		char *end;
		int err;
		unsigned long v = ul_strtoul(s, &end, 16, &err);
		if (err || end != s + 2 || v > 255 || *end != (i < 5 ? ':' : ','))
			return -1;
		mac[i] = (uint8_t)v;
		s = end + 1;
	}
	return 0;
}

static int usage(void)
{
	ul_printf("usage: dhcpd FIRST COUNT [LEASE_SECONDS] [--static=MAC,ADDR]... "
	          "[--domain=NAME]\n"
	          "  COUNT up to %u, up to %u static leases; give the server "
	          "ip=ADDR/PREFIX (and gw=, dns= for its clients)\n",
	          POOL_MAX, STATIC_MAX);
	return 2;
}

/* The options after FIRST COUNT [LEASE]: static leases and the domain. */
static int options(int argc, char **argv, int i)
{
	for (; i < argc; i++) {
		uint8_t mac[MAC_LEN];
		uint32_t addr;
		const char *a = argv[i];
		if (ul_strncmp(a, "--static=", 9) == 0) {
			const char *comma = ul_strchr(a, ',');
			if (parse_mac(a + 9, mac) < 0 || !comma ||
			    ul_ip_parse(comma + 1, &addr) < 0) {
				ul_printf("dhcpd: %s: want --static=MAC,ADDR "
				          "(02:00:00:00:00:01,10.0.0.9)\n", a);
				return -1;
			}
			int rc = pool_add_static(mac, addr);
			if (rc < 0) {
				ul_printf("dhcpd: %s: %s\n", a, rc == -UL_EEXIST
				          ? "that MAC or address has a static lease already"
				          : "too many static leases");
				return -1;
			}
		} else if (ul_strncmp(a, "--domain=", 9) == 0 &&
		           ul_strlen(a + 9) > 0 && ul_strlen(a + 9) <= DOMAIN_MAX) {
			opts.domain = a + 9;
		} else {
			return usage(), -1;
		}
	}
	return 0;
}

int ul_main(int argc, char **argv)
{
	struct ul_net_if nif;
	uint32_t first, count;
	int i = 3;
	if (argc < 3 || ul_ip_parse(argv[1], &first) < 0 ||
	    number(argv[2], POOL_MAX, &count) < 0)
		return usage();
	if (argc > 3 && argv[3][0] != '-') {
		if (number(argv[3], 1u << 30, &lease_s) < 0)
			return usage();
		i = 4;
	}
	pool_init(first, count);
	if (options(argc, argv, i) < 0)
		return 2;
	if (ul_net_start() < 0 || ul_net_if_get(0, &nif) < 0 || nif.dhcp ||
	    !nif.addr) {
		ul_printf("dhcpd: needs a static address on interface 0 "
		          "(ip=ADDR/PREFIX)\n");
		return 1;
	}
	me = nif.addr;
	mask = nif.prefix ? ~0u << (32 - nif.prefix) : 0;
	char from[UL_IP_STRLEN], to[UL_IP_STRLEN];
	ul_ip_format(first, from);
	ul_ip_format(first + count - 1, to);
	if (!on_subnet(first) || !on_subnet(first + count - 1) ||
	    (me >= first && me - first < count)) {
		ul_printf("dhcpd: %s..%s must be on this server's subnet, "
		          "without its own address %s\n", from, to, ip_text(me));
		return 2;
	}
	opts = (struct reply_options){me, mask, ul_net_gateway(),
	                              ul_net_dns_server(), 0, opts.domain};
	fd = ul_socket(UL_SOCK_DGRAM);
	struct ul_sockaddr any = {UL_IP_ANY, SERVER_PORT};
	int rc = fd < 0 ? fd : ul_setsockopt(fd, UL_SO_BROADCAST, 1);
	if (rc == 0)
		rc = ul_bind(fd, &any);
	if (rc < 0) {
		ul_printf("dhcpd: cannot bind port %u: %s\n", SERVER_PORT,
		          ul_strerror(rc));
		return 1;
	}
	ul_printf("dhcpd: serving %u addresses from %s\n", count, ip_text(first));
	for (;;) {
		uint8_t buf[MSG_MAX];
		struct request r;
		long n = ul_recvfrom(fd, buf, sizeof(buf), 0, NULL);
		if (n > 0 && msg_parse(buf, (size_t)n, &r) == 0)
			serve(&r);
	}
}
