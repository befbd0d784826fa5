/* DHCP messages: the fixed BOOTP layout (RFC 2131 figure 1), the magic
 * cookie, and the handful of options a client sends and needs. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "dhcp.h"
#include "wire.h"


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
	o[DHCP_OPT_CODE] = code;
	o[DHCP_OPT_LEN] = IP_ADDR_LEN;
	wr32(o + DHCP_OPT_VALUE, v);
	return o + DHCP_OPT_VALUE + IP_ADDR_LEN;
}

size_t dhcp_build(const struct dhcp_msg *m, uint8_t *buf, size_t cap)
{
	static const uint8_t params[] = {OPT_SUBNET_MASK, OPT_ROUTER, OPT_DNS,
	                                 OPT_LEASE, OPT_T1, OPT_T2};
	if (cap < DHCP_MIN_LEN)
		return 0;
	ul_memset(buf, 0, DHCP_MIN_LEN);
	buf[DHCP_OP] = DHCP_BOOTREQUEST;
	buf[DHCP_HTYPE] = DHCP_HTYPE_ETHERNET;
	buf[DHCP_HLEN] = UL_ETH_ADDR_LEN;
	wr32(buf + DHCP_XID, m->xid);
	wr16(buf + DHCP_FLAGS, m->flags);
	wr32(buf + DHCP_CIADDR, m->ciaddr);
	ul_memcpy(buf + DHCP_CHADDR, m->chaddr, UL_ETH_ADDR_LEN);
	wr32(buf + DHCP_COOKIE, DHCP_COOKIE_VALUE);
	uint8_t *o = buf + DHCP_OPTIONS;
	*o++ = OPT_MSG_TYPE;
	*o++ = 1;
	*o++ = m->type;
	*o++ = OPT_CLIENT_ID; /* RFC 2132 9.14: the hardware type, the MAC */
	*o++ = 1 + UL_ETH_ADDR_LEN;
	*o++ = DHCP_HTYPE_ETHERNET;
	ul_memcpy(o, m->chaddr, UL_ETH_ADDR_LEN);
	o += UL_ETH_ADDR_LEN;
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
	if (len < DHCP_OPTIONS || buf[DHCP_OP] != DHCP_BOOTREPLY ||
	    buf[DHCP_HTYPE] != DHCP_HTYPE_ETHERNET ||
	    buf[DHCP_HLEN] != UL_ETH_ADDR_LEN ||
	    rd32(buf + DHCP_COOKIE) != DHCP_COOKIE_VALUE)
		return -UL_EINVAL;
	ul_memset(m, 0, sizeof *m);
	m->op = buf[DHCP_OP];
	m->xid = rd32(buf + DHCP_XID);
	m->flags = rd16(buf + DHCP_FLAGS);
	m->ciaddr = rd32(buf + DHCP_CIADDR);
	m->yiaddr = rd32(buf + DHCP_YIADDR);
	ul_memcpy(m->chaddr, buf + DHCP_CHADDR, UL_ETH_ADDR_LEN);
	size_t i = DHCP_OPTIONS;
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
