/* Reading a datagram's flow and rewriting it. Checksums are updated
 * incrementally (RFC 1624): the IP header's for addresses; TCP's and
 * UDP's for addresses (their pseudo-header) and ports; ICMP's for the
 * echo identifier. An ICMP error's quote is rewritten and its checksum
 * computed afresh (RFC 5508 4.2: a NAT translates the quoted datagram). */
#include <unilab/string.h>
#include "packet.h"

#define P_ICMP 1
#define P_TCP 6
#define P_UDP 17
#define FRAG_OFFSET 0x1fff

static bool is_echo(uint8_t type)
{
	return type == 0 || type == 8;
}

static bool is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* Ports (or the echo identifier) of a transport header of len bytes;
 * false when it is cut short. */
static bool ports(uint8_t proto, const uint8_t *l4, size_t len, bool whole,
                  struct tuple *t)
{
	t->sport = t->dport = 0;
	if (proto == P_TCP || proto == P_UDP) {
		if (len < (whole ? (proto == P_TCP ? 20u : 8u) : 8u))
			return false;
		t->sport = get16(l4);
		t->dport = get16(l4 + 2);
	} else if (proto == P_ICMP) {
		if (len < 8 || !is_echo(l4[0]))
			return false;
		t->sport = t->dport = get16(l4 + 4);
	}
	return true;
}

/* The quoted datagram of an ICMP error: its flow, turned around (the
 * error travels the way a reply to it would). */
static bool parse_error(struct packet *pt)
{
	uint8_t *q = pt->l4 + 8;
	size_t qlen = pt->l4len - 8;
	if (pt->l4len < 8 + 20 || (q[0] >> 4) != 4)
		return false;
	size_t qh = (size_t)(q[0] & 0xf) * 4;
	if (qh < 20 || qlen < qh + 8)
		return false;
	struct tuple in = {.src = get32(q + 12), .dst = get32(q + 16),
	                   .proto = q[9]};
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
	pt->t.src = get32(h + 12);
	pt->t.dst = get32(h + 16);
	pt->t.proto = h[9];
	if (get16(h + 6) & FRAG_OFFSET)
		return false;
	if (pt->t.proto == P_ICMP && pt->l4len >= 8 && is_error(pt->l4[0]))
		return parse_error(pt);
	if (!ports(pt->t.proto, pt->l4, pt->l4len, true, &pt->t))
		return false;
	if (pt->t.proto == P_TCP)
		pt->tcp_flags = pt->l4[13];
	return true;
}

static void set_addrs(uint8_t *h, uint32_t src, uint32_t dst)
{
	ul_csum_update32(h + 10, get32(h + 12), src);
	ul_csum_update32(h + 10, get32(h + 16), dst);
	put32(h + 12, src);
	put32(h + 16, dst);
}

/* Rewrite the addresses and ports of the IP datagram at h (l4: its
 * transport header, l4len bytes of it there) to those of t. */
static void rewrite(uint8_t *h, uint8_t *l4, size_t l4len, const struct tuple *t)
{
	uint8_t *sum = NULL;
	if (t->proto == P_TCP && l4len >= 18)
		sum = l4 + 16;
	else if (t->proto == P_UDP && l4len >= 8 && get16(l4 + 6) != 0)
		sum = l4 + 6;
	uint32_t old_src = get32(h + 12), old_dst = get32(h + 16);
	set_addrs(h, t->src, t->dst);
	if (t->proto == P_ICMP) {
		if (l4len >= 8) {
			uint16_t old = get16(l4 + 4);
			put16(l4 + 4, t->sport);
			ul_csum_update16(l4 + 2, old, t->sport);
		}
		return;
	}
	if (t->proto != P_TCP && t->proto != P_UDP)
		return;
	uint16_t old_sport = get16(l4), old_dport = get16(l4 + 2);
	put16(l4, t->sport);
	put16(l4 + 2, t->dport);
	if (!sum)
		return;
	ul_csum_update32(sum, old_src, t->src);
	ul_csum_update32(sum, old_dst, t->dst);
	ul_csum_update16(sum, old_sport, t->sport);
	ul_csum_update16(sum, old_dport, t->dport);
	/* 0 means "no checksum" to UDP: its ones' complement twin stands in
	 * (RFC 768). */
	if (t->proto == P_UDP && get16(sum) == 0)
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
	uint32_t old_q_dst = get32(q + 16);
	rewrite(q, q + pt->inner_hlen, pt->l4len - 8 - pt->inner_hlen, quoted);
	/* The quote's transport checksum is left to the end it goes back
	 * to (the quote may be cut short); its header's is redone whole. */
	put16(q + 10, 0);
	put16(q + 10, checksum(q, pt->inner_hlen));
	uint32_t src = get32(h + 12);
	set_addrs(h, src == old_q_dst ? from : src, quoted->src);
	put16(pt->l4 + 2, 0);
	put16(pt->l4 + 2, checksum(pt->l4, pt->l4len));
}
