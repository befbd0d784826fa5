/* Reading DHCP requests and writing replies. Options are walked within
 * the message: a length past its end ends the parse, never the server. */
#include <unilab/string.h>
#include "msg.h"


enum {
	OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_DOMAIN = 15,
	OPT_REQUESTED = 50, OPT_LEASE = 51, OPT_TYPE = 53, OPT_SERVER = 54,
	OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255,
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

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
	if (len < BOOTP_OPTIONS || p[BOOTP_OP] != BOOTREQUEST ||
	    p[BOOTP_HTYPE] != HTYPE_ETHERNET || p[BOOTP_HLEN] != MAC_LEN ||
	    get32(p + BOOTP_COOKIE) != DHCP_COOKIE)
		return -1;
	*r = (struct request){
		.xid = get32(p + BOOTP_XID),
		.flags = get16(p + BOOTP_FLAGS),
		.ciaddr = get32(p + BOOTP_CIADDR),
		.giaddr = get32(p + BOOTP_GIADDR),
	};
	ul_memcpy(r->chaddr, p + BOOTP_CHADDR, MAC_LEN);
	for (size_t i = BOOTP_OPTIONS; i < len && p[i] != OPT_END;) {
		const uint8_t *o = p + i;
		if (o[OPT_CODE] == OPT_PAD) {
			i++;
			continue;
		}
		if (i + OPT_VALUE > len || i + OPT_VALUE + o[OPT_LEN] > len)
			return -1;
		const uint8_t *v = o + OPT_VALUE;
		uint8_t olen = o[OPT_LEN];
		if (o[OPT_CODE] == OPT_TYPE && olen == 1)
			r->type = v[0];
		else if (o[OPT_CODE] == OPT_REQUESTED && olen == 4)
			r->requested = get32(v);
		else if (o[OPT_CODE] == OPT_SERVER && olen == 4)
			r->server = get32(v);
		i += OPT_VALUE + (size_t)olen;
	}
	return r->type >= DISCOVER && r->type <= INFORM ? 0 : -1;
}

static uint8_t *option32(uint8_t *p, uint8_t code, uint32_t v)
{
	if (!v)
		return p;
	p[OPT_CODE] = code;
	p[OPT_LEN] = 4;
	put32(p + OPT_VALUE, v);
	return p + OPT_VALUE + 4;
}

size_t msg_reply(uint8_t *out, const struct request *r, uint8_t type,
                 uint32_t yiaddr, const struct reply_options *o)
{
	ul_memset(out, 0, MSG_MAX);
	out[BOOTP_OP] = BOOTREPLY;
	out[BOOTP_HTYPE] = HTYPE_ETHERNET;
	out[BOOTP_HLEN] = MAC_LEN;
	put32(out + BOOTP_XID, r->xid);
	out[BOOTP_FLAGS] = (uint8_t)(r->flags >> 8); /* the broadcast bit */
	if (type == ACK || type == OFFER)
		put32(out + BOOTP_CIADDR, r->ciaddr);
	put32(out + BOOTP_YIADDR, yiaddr);
	put32(out + BOOTP_SIADDR, o->server);
	ul_memcpy(out + BOOTP_CHADDR, r->chaddr, MAC_LEN);
	put32(out + BOOTP_COOKIE, DHCP_COOKIE);
	uint8_t *p = out + BOOTP_OPTIONS;
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
	return len < BOOTP_MIN_LEN ? BOOTP_MIN_LEN : len;
}
