/* ICMP: answer echo requests in place (the request's buffer becomes the
 * reply), hand echo replies to ping sockets, send and heed unreachables. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "checksum.h"
#include "dgram.h"
#include "icmp.h"
#include "stack.h"
#include "tcp.h"
#include "wire.h"

static uint64_t window_start;
static unsigned errors_in_window;

static int error_allowed(void)
{
	uint64_t now = net_now();
	if (now - window_start >= 1000000000ull) {
		window_start = now;
		errors_in_window = 0;
	}
	return errors_in_window++ < ICMP_ERRORS_PER_SEC;
}

static void answer_echo(const struct ip_meta *m, struct pbuf *p)
{
	/* No answers to broadcasts (RFC 1122 3.2.2.6 allows silence, and
	 * it keeps the image out of smurf amplification). */
	if (m->broadcast || m->nif->addr == 0) {
		NET_COUNT(icmp_drop);
		pbuf_free(p);
		return;
	}
	p->data[ICMP_TYPE] = ICMP_ECHO_REPLY;
	wr16(p->data + ICMP_CSUM, 0);
	wr16(p->data + ICMP_CSUM, csum(p->data, p->len));
	NET_COUNT(icmp_out);
	ip_output(p, m->dst, m->src, IP_PROTO_ICMP, (int)m->nif->index);
}

/* RFC 1191 7: when a router does not say the next hop's MTU, the
 * plateau below the size of the datagram it refused. */
static uint32_t plateau_below(uint32_t len)
{
	static const uint16_t plateaus[] = {32000, 17914, 8166, 4352, 2002,
	                                    1492, 1006, 508, 296, 68};
	for (unsigned i = 0; i < sizeof plateaus / sizeof plateaus[0]; i++)
		if (plateaus[i] < len)
			return plateaus[i];
	return IP_MIN_MTU;
}

/* The datagram an unreachable quotes: its header and ICMP_QUOTE bytes at
 * least, where UDP's and TCP's ports are, and TCP's sequence number. */
static void heed_unreachable(const struct pbuf *p)
{
	const uint8_t *q = p->data + ICMP_HLEN;
	size_t qlen = p->len - ICMP_HLEN;
	if (qlen < IP_HLEN + ICMP_QUOTE || ip_version(q) != IP_VERSION)
		return;
	size_t hlen = ip_hlen(q);
	if (hlen < IP_HLEN || qlen < hlen + ICMP_QUOTE)
		return;
	uint32_t src = rd32(q + IP_SRC), dst = rd32(q + IP_DST);
	uint16_t sport = rd16(q + hlen + TCP_SPORT);
	uint16_t dport = rd16(q + hlen + TCP_DPORT);
	uint8_t code = p->data[ICMP_CODE];
	if (q[IP_PROTO] == IP_PROTO_UDP &&
	    (code == ICMP_UNREACH_PORT || code == ICMP_UNREACH_PROTOCOL))
		dgram_refused(src, sport, dst, dport);
	if (q[IP_PROTO] == IP_PROTO_TCP && code == ICMP_UNREACH_NEEDFRAG) {
		uint32_t mtu = rd16(p->data + ICMP_NEXT_MTU);
		uint32_t sent = rd16(q + IP_TOTAL_LEN);
		if (mtu < IP_MIN_MTU || mtu >= sent)
			mtu = plateau_below(sent);
		tcp_pmtu_icmp(src, sport, dst, dport, rd32(q + hlen + TCP_SEQ),
		              mtu);
	}
}

void icmp_input(const struct ip_meta *m, struct pbuf *p)
{
	NET_COUNT(icmp_in);
	if (p->len < ICMP_HLEN) {
		NET_COUNT(icmp_drop);
		pbuf_free(p);
		return;
	}
	if (csum(p->data, p->len) != 0) {
		NET_COUNT(icmp_csum_err);
		pbuf_free(p);
		return;
	}
	switch (p->data[ICMP_TYPE]) {
	case ICMP_ECHO:
		answer_echo(m, p);
		return;
	case ICMP_ECHO_REPLY:
		dgram_ping_input(m, p);
		return;
	case ICMP_UNREACH:
		heed_unreachable(p);
		break;
	default:
		NET_COUNT(icmp_drop);
	}
	pbuf_free(p);
}

void icmp_send_unreachable(const struct ip_meta *m, const struct pbuf *p,
                           uint8_t code)
{
	/* RFC 1122 3.2.2: never about broadcasts, non-initial fragments
	 * (reassembly made ours whole), a source that names no one host,
	 * or an ICMP error (only queries may be answered with errors). */
	if (m->broadcast || m->src == 0 || netif_is_broadcast(m->nif, m->src))
		return;
	if (m->proto == IP_PROTO_ICMP &&
	    (p->len < 1 || !icmp_is_request(p->data[ICMP_TYPE])))
		return;
	if (!error_allowed())
		return;
	icmp_error_output(m->hdr, m->hlen, m->hlen + p->len, ICMP_UNREACH, code,
	                  0, m->dst, (int)m->nif->index);
}

void icmp_error_output(const uint8_t *h, size_t hlen, size_t len,
                       uint8_t type, uint8_t code, uint32_t word,
                       uint32_t src, int ifindex)
{
	size_t more = len - hlen < ICMP_QUOTE ? len - hlen : ICMP_QUOTE;
	size_t quote = hlen + more;
	struct pbuf *e = pbuf_alloc(PBUF_HEADROOM, ICMP_HLEN + quote);
	if (!e)
		return;
	e->data[ICMP_TYPE] = type;
	e->data[ICMP_CODE] = code;
	wr16(e->data + ICMP_CSUM, 0);
	wr32(e->data + ICMP_WORD, word);
	ul_memcpy(e->data + ICMP_HLEN, h, quote);
	wr16(e->data + ICMP_CSUM, csum(e->data, e->len));
	NET_COUNT(icmp_out);
	ip_output(e, src, rd32(h + IP_SRC), IP_PROTO_ICMP, ifindex);
}

int icmp_echo_output(uint16_t ident, const void *msg, size_t len,
                     uint32_t src, uint32_t dst, int ifindex)
{
	if (len < ICMP_HLEN)
		return -UL_EINVAL;
	struct pbuf *p = pbuf_alloc(PBUF_HEADROOM, len);
	if (!p)
		return -UL_ENOMEM;
	ul_memcpy(p->data, msg, len);
	p->data[ICMP_TYPE] = ICMP_ECHO;
	p->data[ICMP_CODE] = 0;
	wr16(p->data + ICMP_CSUM, 0);
	wr16(p->data + ICMP_ID, ident);
	wr16(p->data + ICMP_CSUM, csum(p->data, len));
	NET_COUNT(icmp_out);
	return ip_output(p, src, dst, IP_PROTO_ICMP, ifindex);
}
