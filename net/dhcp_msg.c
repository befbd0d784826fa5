/* DHCP messages: the fixed BOOTP layout (RFC 2131 figure 1), the magic
 * cookie, and the handful of options a client sends and needs. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "dhcp.h"
#include "wire.h"

#define FIXED_LEN 236
#define COOKIE 0x63825363u

enum {
	OPT_PAD = 0,
	OPT_SUBNET_MASK = 1,
	OPT_ROUTER = 3,
	OPT_DNS = 6,
	OPT_REQUESTED_IP = 50,
	OPT_LEASE = 51,
	OPT_MSG_TYPE = 53,
	OPT_SERVER_ID = 54,
	OPT_PARAMS = 55,
	OPT_T1 = 58,
	OPT_T2 = 59,
	OPT_CLIENT_ID = 61,
	OPT_END = 255,
};

static uint8_t *put_addr_option(uint8_t *o, uint8_t code, uint32_t v)
{
	o[0] = code;
	o[1] = 4;
	wr32(o + 2, v);
	return o + 6;
}

size_t dhcp_build(const struct dhcp_msg *m, uint8_t *buf, size_t cap)
{
	static const uint8_t params[] = {OPT_SUBNET_MASK, OPT_ROUTER, OPT_DNS,
	                                 OPT_LEASE, OPT_T1, OPT_T2};
	if (cap < DHCP_MIN_LEN)
		return 0;
	ul_memset(buf, 0, DHCP_MIN_LEN);
	buf[0] = 1; /* BOOTREQUEST */
	buf[1] = 1; /* Ethernet */
	buf[2] = 6;
	wr32(buf + 4, m->xid);
	wr16(buf + 10, m->flags);
	wr32(buf + 12, m->ciaddr);
	ul_memcpy(buf + 28, m->chaddr, 6);
	wr32(buf + FIXED_LEN, COOKIE);
	uint8_t *o = buf + FIXED_LEN + 4;
	*o++ = OPT_MSG_TYPE;
	*o++ = 1;
	*o++ = m->type;
	*o++ = OPT_CLIENT_ID; /* RFC 2132 9.14: type 1, then the MAC */
	*o++ = 7;
	*o++ = 1;
	ul_memcpy(o, m->chaddr, 6);
	o += 6;
	if (m->requested_ip)
		o = put_addr_option(o, OPT_REQUESTED_IP, m->requested_ip);
	if (m->server_id)
		o = put_addr_option(o, OPT_SERVER_ID, m->server_id);
	*o++ = OPT_PARAMS;
	*o++ = sizeof params;
	ul_memcpy(o, params, sizeof params);
	o += sizeof params;
	*o++ = OPT_END;
	size_t len = (size_t)(o - buf);
	return len < DHCP_MIN_LEN ? DHCP_MIN_LEN : len;
}

/* One option into m; options of the wrong size are ignored. */
static void take_option(struct dhcp_msg *m, uint8_t code, const uint8_t *v,
                        size_t len)
{
	if (code == OPT_MSG_TYPE && len == 1) {
		m->type = v[0];
		return;
	}
	if (len < 4)
		return;
	uint32_t x = rd32(v);
	switch (code) {
	case OPT_SUBNET_MASK:
		m->subnet_mask = x;
		break;
	case OPT_ROUTER:
		m->router = x; /* the first of the list */
		break;
	case OPT_DNS:
		m->dns = x;
		break;
	case OPT_LEASE:
		m->lease = x;
		break;
	case OPT_SERVER_ID:
		m->server_id = x;
		break;
	case OPT_T1:
		m->t1 = x;
		break;
	case OPT_T2:
		m->t2 = x;
		break;
	default:
		break;
	}
}

int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *m)
{
	if (len < FIXED_LEN + 4 || buf[0] != 2 || buf[1] != 1 || buf[2] != 6 ||
	    rd32(buf + FIXED_LEN) != COOKIE)
		return -UL_EINVAL;
	ul_memset(m, 0, sizeof *m);
	m->op = buf[0];
	m->xid = rd32(buf + 4);
	m->flags = rd16(buf + 10);
	m->ciaddr = rd32(buf + 12);
	m->yiaddr = rd32(buf + 16);
	ul_memcpy(m->chaddr, buf + 28, 6);
	size_t i = FIXED_LEN + 4;
	for (;;) {
		if (i >= len)
			return -UL_EINVAL; /* no END option */
		uint8_t code = buf[i++];
		if (code == OPT_END)
			break;
		if (code == OPT_PAD)
			continue;
		if (i >= len || buf[i] > len - i - 1)
			return -UL_EINVAL;
		size_t olen = buf[i++];
		take_option(m, code, buf + i, olen);
		i += olen;
	}
	return m->type ? 0 : -UL_EINVAL;
}
