/* Reading a datagram's flow and rewriting it. Checksums are updated
 * incrementally (RFC 1624): the IP header's for addresses; TCP's and
 * UDP's for addresses (their pseudo-header) and ports; ICMP's for the
 * echo identifier. An ICMP error's quote is rewritten and its checksum
 * computed afresh (RFC 5508 4.2: a NAT translates the quoted datagram). */
#include <unilab/string.h>
#include "packet.h"

static bool is_echo(uint8_t type)
{
	return type == ICMP_ECHO_REPLY || type == ICMP_ECHO;
}

static bool is_error(uint8_t type)
{
	return type == ICMP_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAM_PROBLEM;
}

/* Ports (or the echo identifier) of a transport header of len bytes;
 * false when it is cut short. */
static bool ports(uint8_t proto, const uint8_t *l4, size_t len, bool whole,
                  struct tuple *t)
{
	t->sport = t->dport = 0;
	if (proto == PROTO_TCP || proto == PROTO_UDP) {
		size_t need = whole && proto == PROTO_TCP ? TCP_HLEN : UDP_HLEN;
		if (len < need)
			return false;
		t->sport = get16(l4 + L4_SPORT);
		t->dport = get16(l4 + L4_DPORT);
	} else if (proto == PROTO_ICMP) {
		if (len < ICMP_HLEN || !is_echo(l4[ICMP_TYPE]))
			return false;
		t->sport = t->dport = get16(l4 + ICMP_ID);
	}
	return true;
}

/* The quoted datagram of an ICMP error: its flow, turned around (the
 * error travels the way a reply to it would). */
static bool parse_error(struct packet *pt)
{
	uint8_t *q = pt->l4 + ICMP_HLEN;
	size_t qlen = pt->l4len - ICMP_HLEN;
	if (pt->l4len < ICMP_HLEN + IP_HLEN || q[IP_VERSION_IHL] >> 4 != IP_VERSION)
		return false;
	size_t qh = ip_hlen(q);
	if (qh < IP_HLEN || qlen < qh + ICMP_QUOTE)
		return false;
	struct tuple in = {.src = get32(q + IP_SRC), .dst = get32(q + IP_DST),
	                   .proto = q[IP_PROTO]};
	if (!ports(in.proto, q + qh, qlen - qh, false, &in))
		return false;
	pt->icmp_error = true;
	pt->inner = q;
	pt->inner_hlen = qh;
	pt->t = (struct tuple){in.dst, in.src, in.dport, in.sport, in.proto};
	return true;
}

bool packet_parse(struct ul_fwd_pkt *pk, struct packet *pt)
{
	uint8_t *h = pk->ip;
	ul_memset(pt, 0, sizeof *pt);
	pt->pk = pk;
	pt->l4 = h + pk->hlen;
	pt->l4len = pk->len - pk->hlen;
	pt->t.src = get32(h + IP_SRC);
	pt->t.dst = get32(h + IP_DST);
	pt->t.proto = h[IP_PROTO];
	if (get16(h + IP_FRAG) & IP_FRAG_OFFSET)
		return false;
	if (pt->t.proto == PROTO_ICMP && pt->l4len >= ICMP_HLEN &&
	    is_error(pt->l4[ICMP_TYPE]))
		return parse_error(pt);
	if (!ports(pt->t.proto, pt->l4, pt->l4len, true, &pt->t))
		return false;
	if (pt->t.proto == PROTO_TCP)
		pt->tcp_flags = pt->l4[TCP_FLAGS];
	return true;
}

static void set_addrs(uint8_t *h, uint32_t src, uint32_t dst)
{
	ul_csum_update32(h + IP_CSUM, get32(h + IP_SRC), src);
	ul_csum_update32(h + IP_CSUM, get32(h + IP_DST), dst);
	put32(h + IP_SRC, src);
	put32(h + IP_DST, dst);
}

/* Rewrite the addresses and ports of the IP datagram at h (l4: its
 * transport header, l4len bytes of it there) to those of t. */
static void rewrite(uint8_t *h, uint8_t *l4, size_t l4len, const struct tuple *t)
{
	uint8_t *sum = NULL;
	if (t->proto == PROTO_TCP && l4len >= TCP_CSUM + 2)
		sum = l4 + TCP_CSUM;
	else if (t->proto == PROTO_UDP && l4len >= UDP_HLEN &&
	         get16(l4 + UDP_CSUM) != 0)
		sum = l4 + UDP_CSUM;
	uint32_t old_src = get32(h + IP_SRC), old_dst = get32(h + IP_DST);
	set_addrs(h, t->src, t->dst);
	if (t->proto == PROTO_ICMP) {
		if (l4len >= ICMP_HLEN) {
			uint16_t old = get16(l4 + ICMP_ID);
			put16(l4 + ICMP_ID, t->sport);
			ul_csum_update16(l4 + ICMP_CSUM, old, t->sport);
		}
		return;
	}
	if (t->proto != PROTO_TCP && t->proto != PROTO_UDP)
		return;
	uint16_t old_sport = get16(l4 + L4_SPORT);
	uint16_t old_dport = get16(l4 + L4_DPORT);
	put16(l4 + L4_SPORT, t->sport);
	put16(l4 + L4_DPORT, t->dport);
	if (!sum)
		return;
	ul_csum_update32(sum, old_src, t->src);
	ul_csum_update32(sum, old_dst, t->dst);
	ul_csum_update16(sum, old_sport, t->sport);
	ul_csum_update16(sum, old_dport, t->dport);
	/* 0 means "no checksum" to UDP: its ones' complement twin stands in
	 * (RFC 768). */
	if (t->proto == PROTO_UDP && get16(sum) == 0)
		put16(sum, 0xffff);
}

void packet_rewrite(struct packet *pt, const struct tuple *t)
{
	rewrite(pt->pk->ip, pt->l4, pt->l4len, t);
}

/* The Internet checksum of len bytes (RFC 1071), for the parts that
 * are rewritten whole. */
static uint16_t checksum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += get16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

void packet_rewrite_error(struct packet *pt, const struct tuple *quoted,
                          uint32_t from)
{
	uint8_t *h = pt->pk->ip;
	uint8_t *q = pt->inner;
	uint32_t old_q_dst = get32(q + IP_DST);
	rewrite(q, q + pt->inner_hlen, pt->l4len - ICMP_HLEN - pt->inner_hlen,
	        quoted);
	/* The quote's transport checksum is left to the end it goes back
	 * to (the quote may be cut short); its header's is redone whole. */
	put16(q + IP_CSUM, 0);
	put16(q + IP_CSUM, checksum(q, pt->inner_hlen));
	uint32_t src = get32(h + IP_SRC);
	set_addrs(h, src == old_q_dst ? from : src, quoted->src);
	put16(pt->l4 + ICMP_CSUM, 0);
	put16(pt->l4 + ICMP_CSUM, checksum(pt->l4, pt->l4len));
}
