/* DNS messages. Names in answers are read through compression pointers
 * (RFC 1035 4.1.4) with a bound on jumps, so a looping pointer ends the
 * parse rather than the image. */
#include <stdbool.h>
#include <unilab/ctype.h>
#include <unilab/errno.h>
#include <unilab/string.h>
#include "dns_msg.h"
#include "wire.h"

#define MAX_JUMPS 32
#define MAX_CHAIN 8 /* CNAMEs followed */

int dns_build_query(uint16_t id, const char *name, uint8_t *buf, size_t cap)
{
	size_t n = ul_strlen(name);
	if (n && name[n - 1] == '.')
		n--;
	if (n == 0 || n > DNS_NAME_MAX)
		return -UL_EINVAL;
	if (cap < DNS_HLEN + n + 2 + DNS_Q_LEN)
		return -UL_ENOSPC;
	ul_memset(buf, 0, DNS_HLEN);
	wr16(buf + DNS_ID, id);
	wr16(buf + DNS_FLAGS, DNS_FLAG_RD);
	wr16(buf + DNS_QDCOUNT, 1);
	size_t pos = DNS_HLEN;
	size_t start = 0;
	while (start <= n) {
		size_t end = start;
		while (end < n && name[end] != '.')
			end++;
		size_t label = end - start;
		if (label == 0 || label > DNS_LABEL_MAX)
			return -UL_EINVAL;
		buf[pos++] = (uint8_t)label;
		ul_memcpy(buf + pos, name + start, label);
		pos += label;
		start = end + 1;
	}
	buf[pos++] = 0;
	wr16(buf + pos + DNS_Q_TYPE, DNS_TYPE_A);
	wr16(buf + pos + DNS_Q_CLASS, DNS_CLASS_IN);
	return (int)(pos + DNS_Q_LEN);
}

/* Decode the name at *pos into out (lower case, dotted) and move *pos
 * past it. false when it is malformed or too long. */
static bool read_name(const uint8_t *msg, size_t len, size_t *pos, char *out)
{
	size_t p = *pos, o = 0;
	int jumps = 0;
	bool jumped = false;
	for (;;) {
		if (p >= len)
			return false;
		uint8_t l = msg[p];
		if ((l & DNS_LABEL_KIND) == DNS_POINTER) {
			if (p + 1 >= len || ++jumps > MAX_JUMPS)
				return false;
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			p = (size_t)(l & ~DNS_LABEL_KIND) << 8 | msg[p + 1];
			continue;
		}
		if (l & DNS_LABEL_KIND)
			return false; /* the reserved label types */
		if (l == 0)
			break;
		if (p + 1 + l > len || o + (o ? 1 : 0) + l > DNS_NAME_MAX)
			return false;
		if (o)
			out[o++] = '.';
		for (size_t i = 0; i < l; i++)
			out[o++] = (char)ul_tolower(msg[p + 1 + i]);
		p += 1 + (size_t)l;
	}
	out[o] = '\0';
	if (!jumped)
		*pos = p + 1;
	return true;
}

static bool same_name(const char *a, const char *b)
{
	size_t n = ul_strlen(b);
	if (n && b[n - 1] == '.')
		n--;
	if (ul_strlen(a) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ul_tolower((unsigned char)a[i]) !=
		    ul_tolower((unsigned char)b[i]))
			return false;
	return true;
}

/* Look through the answer section for owner's A record or CNAME. */
static int find_answer(const uint8_t *msg, size_t len, size_t pos,
                       unsigned count, const char *owner, uint32_t *addr,
                       char *cname)
{
	char rname[DNS_NAME_MAX + 1];
	for (unsigned i = 0; i < count; i++) {
		if (!read_name(msg, len, &pos, rname) || pos + DNS_RR_LEN > len)
			return -UL_EINVAL;
		uint16_t type = rd16(msg + pos + DNS_RR_TYPE);
		uint16_t cls = rd16(msg + pos + DNS_RR_CLASS);
		size_t rdlen = rd16(msg + pos + DNS_RR_RDLENGTH);
		pos += DNS_RR_LEN;
		if (pos + rdlen > len)
			return -UL_EINVAL;
		if (cls == DNS_CLASS_IN && same_name(rname, owner)) {
			if (type == DNS_TYPE_A && rdlen == IP_ADDR_LEN) {
				*addr = rd32(msg + pos);
				return 0;
			}
			size_t at = pos;
			if (type == DNS_TYPE_CNAME &&
			    read_name(msg, len, &at, cname))
				return 1;
		}
		pos += rdlen;
	}
	return -UL_ENOENT;
}

int dns_parse_response(const uint8_t *msg, size_t len, uint16_t id,
                       const char *name, uint32_t *addr, char *cname)
{
	if (len < DNS_HLEN || rd16(msg + DNS_ID) != id)
		return -UL_EINVAL;
	uint16_t flags = rd16(msg + DNS_FLAGS);
	if (!(flags & DNS_FLAG_QR))
		return -UL_EINVAL;
	unsigned rcode = flags & DNS_RCODE_MASK;
	unsigned qd = rd16(msg + DNS_QDCOUNT), an = rd16(msg + DNS_ANCOUNT);
	char qname[DNS_NAME_MAX + 1];
	size_t pos = DNS_HLEN;
	if (qd != 1 || !read_name(msg, len, &pos, qname) ||
	    pos + DNS_Q_LEN > len || !same_name(qname, name) ||
	    rd16(msg + pos + DNS_Q_TYPE) != DNS_TYPE_A)
		return -UL_EINVAL;
	pos += DNS_Q_LEN;
	if (rcode == DNS_RCODE_NXDOMAIN)
		return -UL_ENOENT;
	if (rcode != 0 || (flags & DNS_FLAG_TC))
		return -UL_EIO; /* failure, or TC: no TCP fallback here */
	char owner[DNS_NAME_MAX + 1];
	ul_strlcpy(owner, qname, sizeof owner);
	for (int hop = 0; hop <= MAX_CHAIN; hop++) {
		int rc = find_answer(msg, len, pos, an, owner, addr, cname);
		if (rc == -UL_ENOENT && hop > 0) {
			ul_strlcpy(cname, owner, DNS_NAME_MAX + 1);
			return 1;
		}
		if (rc <= 0)
			return rc;
		ul_strlcpy(owner, cname, sizeof owner);
	}
	return -UL_ENOENT;
}
