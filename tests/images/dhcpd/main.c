/* dhcpd: a DHCP server (RFC 2131, options from RFC 2132) for test networks,
 * on the stack's UDP sockets. It leases FIRST..FIRST+COUNT-1 on the subnet
 * of its own interface 0 (give it a static ip=), with its gw= and dns= as
 * router and DNS server. A client keeps its address until it releases it;
 * nothing else is reclaimed, which is all a test network needs.
 *
 *   dhcpd FIRST COUNT [LEASE_SECONDS]   (default lease 3600 s)
 */
#include <stdbool.h>
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/strtol.h>

#define SERVER_PORT 67
#define CLIENT_PORT 68
#define FIXED 236  /* BOOTP's fixed fields, before the magic cookie */
#define MIN_LEN 300
#define MAX_POOL 1024

enum { DISCOVER = 1, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE };
enum {
	OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_REQUESTED = 50,
	OPT_LEASE = 51, OPT_TYPE = 53, OPT_SERVER = 54, OPT_END = 255,
};

/* What the server reads from a client's message. */
struct request {
	uint8_t type;
	uint32_t xid, ciaddr, requested, server;
	uint16_t flags;
	uint8_t chaddr[6];
};

struct binding {
	bool used;
	uint8_t mac[6];
};

static struct binding pool[MAX_POOL];
static uint32_t first, count, lease = 3600;
static uint32_t me, mask, router, dns;
static uint8_t msg[1024];

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	       p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

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

static int parse(const uint8_t *p, size_t len, struct request *r)
{
	static const uint8_t cookie[4] = {99, 130, 83, 99};
	if (len < FIXED + 4 || p[0] != 1 || p[1] != 1 || p[2] != 6 ||
	    ul_memcmp(p + FIXED, cookie, 4) != 0)
		return -1;
	*r = (struct request){
		.xid = get32(p + 4),
		.flags = (uint16_t)(p[10] << 8 | p[11]),
		.ciaddr = get32(p + 12),
	};
	ul_memcpy(r->chaddr, p + 28, 6);
	for (size_t i = FIXED + 4; i < len && p[i] != OPT_END;) {
		if (p[i] == 0) { /* pad */
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + p[i + 1] > len)
			return -1;
		const uint8_t *v = p + i + 2;
		uint8_t olen = p[i + 1];
		if (p[i] == OPT_TYPE && olen == 1)
			r->type = v[0];
		else if (p[i] == OPT_REQUESTED && olen == 4)
			r->requested = get32(v);
		else if (p[i] == OPT_SERVER && olen == 4)
			r->server = get32(v);
		i += 2 + (size_t)olen;
	}
	return r->type ? 0 : -1;
}

static uint8_t *option32(uint8_t *p, uint8_t code, uint32_t v)
{
	p[0] = code;
	p[1] = 4;
	put32(p + 2, v);
	return p + 6;
}

/* A reply of type to r, for address yiaddr: broadcast while the client has
 * no address (RFC 2131 4.1), to its address once it has one. */
static void reply(int fd, const struct request *r, uint8_t type,
                  uint32_t yiaddr)
{
	ul_memset(msg, 0, sizeof(msg));
	msg[0] = 2; /* BOOTREPLY */
	msg[1] = 1;
	msg[2] = 6;
	put32(msg + 4, r->xid);
	msg[10] = (uint8_t)(r->flags >> 8);
	put32(msg + 12, r->ciaddr);
	put32(msg + 16, yiaddr);
	put32(msg + 20, me);
	ul_memcpy(msg + 28, r->chaddr, 6);
	uint8_t *p = msg + FIXED;
	put32(p, 0x63825363);
	p += 4;
	*p++ = OPT_TYPE;
	*p++ = 1;
	*p++ = type;
	p = option32(p, OPT_SERVER, me);
	if (type != NAK) {
		p = option32(p, OPT_LEASE, lease);
		p = option32(p, OPT_MASK, mask);
		if (router)
			p = option32(p, OPT_ROUTER, router);
		if (dns)
			p = option32(p, OPT_DNS, dns);
	}
	*p++ = OPT_END;
	size_t len = (size_t)(p - msg) < MIN_LEN ? MIN_LEN : (size_t)(p - msg);
	struct ul_sockaddr to = {r->ciaddr && type != NAK ? r->ciaddr
	                                                  : UL_IP_BROADCAST,
	                         CLIENT_PORT};
	long n = ul_sendto(fd, msg, len, 0, &to);
	if (n < 0)
		ul_printf("dhcpd: cannot send to %s: %s\n", ip_text(to.addr),
		          ul_strerror((int)n));
}

/* The client's binding, or (when create) a free one for it; -1 when there
 * is none. */
static int binding_for(const uint8_t *mac, bool create)
{
	int free_slot = -1;
	for (uint32_t i = 0; i < count; i++) {
		if (pool[i].used && ul_memcmp(pool[i].mac, mac, 6) == 0)
			return (int)i;
		if (!pool[i].used && free_slot < 0)
			free_slot = (int)i;
	}
	if (create && free_slot >= 0) {
		pool[free_slot].used = true;
		ul_memcpy(pool[free_slot].mac, mac, 6);
	}
	return create ? free_slot : -1;
}

static void serve(int fd, const struct request *r)
{
	int b = binding_for(r->chaddr, r->type == DISCOVER);
	uint32_t addr = b < 0 ? 0 : first + (uint32_t)b;
	const char *mac = mac_text(r->chaddr);
	switch (r->type) {
	case DISCOVER:
		if (b < 0) {
			ul_printf("dhcpd: no address left for %s\n", mac);
			return;
		}
		ul_printf("dhcpd: offer %s to %s\n", ip_text(addr), mac);
		reply(fd, r, OFFER, addr);
		return;
	case REQUEST:
		if (r->server && r->server != me)
			return; /* it chose another server's offer */
		if (b >= 0 && (r->requested == addr || r->ciaddr == addr)) {
			ul_printf("dhcpd: lease %s to %s\n", ip_text(addr), mac);
			reply(fd, r, ACK, addr);
		} else {
			ul_printf("dhcpd: refuse %s to %s\n",
			          ip_text(r->requested ? r->requested : r->ciaddr), mac);
			reply(fd, r, NAK, 0);
		}
		return;
	case RELEASE:
		if (b >= 0) {
			ul_printf("dhcpd: %s released %s\n", mac, ip_text(addr));
			pool[b].used = false;
		}
		return;
	}
}

static int number(const char *s, unsigned long max, uint32_t *out)
{
	char *end;
	int err;
	unsigned long v = ul_strtoul(s, &end, 10, &err);
	if (*s < '0' || *s > '9' || *end || err || v == 0 || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int ul_main(int argc, char **argv)
{
	struct ul_net_if nif;
	if (argc < 3 || argc > 4 || ul_ip_parse(argv[1], &first) < 0 ||
	    number(argv[2], MAX_POOL, &count) < 0 ||
	    (argc == 4 && number(argv[3], 1u << 30, &lease) < 0)) {
		ul_printf("usage: dhcpd FIRST COUNT [LEASE_SECONDS] (COUNT up "
		          "to %u; give the server ip=ADDR/PREFIX)\n", MAX_POOL);
		return 2;
	}
	if (ul_net_start() < 0 || ul_net_if_get(0, &nif) < 0 || nif.dhcp ||
	    !nif.addr) {
		ul_printf("dhcpd: needs a static address on interface 0 "
		          "(ip=ADDR/PREFIX)\n");
		return 1;
	}
	me = nif.addr;
	mask = nif.prefix ? ~0u << (32 - nif.prefix) : 0;
	router = ul_net_gateway();
	dns = ul_net_dns_server();
	int fd = ul_socket(UL_SOCK_DGRAM);
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
		uint8_t buf[1024];
		struct request r;
		long n = ul_recvfrom(fd, buf, sizeof(buf), 0, NULL);
		if (n > 0 && parse(buf, (size_t)n, &r) == 0)
			serve(fd, &r);
	}
}
