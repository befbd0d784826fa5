/* Reading DHCP requests and writing replies. Options are walked within
 * the message: a length past its end ends the parse, never the server. */
#include <unilab/string.h>
#include "msg.h"

#define FIXED 236 /* BOOTP's fixed fields, before the magic cookie */
#define MIN_LEN 300 /* BOOTP's minimum, which old relays insist on */

enum {
	OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_DOMAIN = 15,
	OPT_REQUESTED = 50, OPT_LEASE = 51, OPT_TYPE = 53, OPT_SERVER = 54,
	OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255,
};

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

int msg_parse(const uint8_t *p, size_t len, struct request *r)
{
	static const uint8_t cookie[4] = {99, 130, 83, 99};
	if (len < FIXED + 4 || p[0] != 1 || p[1] != 1 || p[2] != 6 ||
	    ul_memcmp(p + FIXED, cookie, 4) != 0)
		return -1;
	*r = (struct request){
		.xid = get32(p + 4),
		.flags = (uint16_t)(p[10] << 8 | p[11]),
		.ciaddr = get32(p + 12),
		.giaddr = get32(p + 24),
	};
	ul_memcpy(r->chaddr, p + 28, 6);
	for (size_t i = FIXED + 4; i < len && p[i] != OPT_END;) {
		if (p[i] == OPT_PAD) {
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
	return r->type >= DISCOVER && r->type <= INFORM ? 0 : -1;
}

static uint8_t *option32(uint8_t *p, uint8_t code, uint32_t v)
{
	if (!v)
		return p;
	p[0] = code;
	p[1] = 4;
	put32(p + 2, v);
	return p + 6;
}

size_t msg_reply(uint8_t *out, const struct request *r, uint8_t type,
                 uint32_t yiaddr, const struct reply_options *o)
{
	ul_memset(out, 0, MSG_MAX);
	out[0] = 2; /* BOOTREPLY */
	out[1] = 1;
	out[2] = 6;
	put32(out + 4, r->xid);
	out[10] = (uint8_t)(r->flags >> 8);
	if (type == ACK || type == OFFER)
		put32(out + 12, r->ciaddr);
	put32(out + 16, yiaddr);
	put32(out + 20, o->server);
	ul_memcpy(out + 28, r->chaddr, 6);
	uint8_t *p = out + FIXED;
	put32(p, 0x63825363);
	p += 4;
	*p++ = OPT_TYPE;
	*p++ = 1;
	*p++ = type;
	p = option32(p, OPT_SERVER, o->server);
	if (type != NAK) {
		if (o->lease) {
			p = option32(p, OPT_LEASE, o->lease);
			p = option32(p, OPT_T1, o->lease / 2);
			p = option32(p, OPT_T2, o->lease / 8 * 7);
		}
		p = option32(p, OPT_MASK, o->mask);
		p = option32(p, OPT_ROUTER, o->router);
		p = option32(p, OPT_DNS, o->dns);
		size_t n = o->domain ? ul_strlen(o->domain) : 0;
		if (n) {
			*p++ = OPT_DOMAIN;
			*p++ = (uint8_t)n;
			ul_memcpy(p, o->domain, n);
			p += n;
		}
	}
	*p++ = OPT_END;
	size_t len = (size_t)(p - out);
	return len < MIN_LEN ? MIN_LEN : len;
}
