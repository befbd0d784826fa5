/* IPv4 forwarding (RFC 1812 section 5): a datagram from one interface
 * for an address that is not ours goes out through the interface that
 * reaches it, its TTL one less; one that cannot go is answered with an
 * ICMP error from this router's own address. An app's filter sees each
 * datagram first and may rewrite it (NAT) or drop it (a firewall). */
#include <unilab/forward.h>
#include <unilab/net.h>
#include <unilab/string.h>
#include "arp.h"
#include "checksum.h"
#include "forward.h"
#include "icmp.h"
#include "ip.h"
#include "stack.h"
#include "wire.h"

#define ERROR_BURST 100 /* RFC 1812 4.3.2.8: errors are rate-limited */

static bool on;
static ul_fwd_filter filter;
static struct ul_fwd_stats stats;
static uint64_t error_tokens_at;
static unsigned error_tokens;

void ul_forward_start(ul_fwd_filter f)
{
	filter = f;
	on = true;
}

void ul_forward_stats(struct ul_fwd_stats *st)
{
	*st = stats;
}

/* RFC 1624 eqn 3: HC' = ~(~HC + ~m + m'), in ones' complement. */
void ul_csum_update16(uint8_t *csum, uint16_t old, uint16_t new_)
{
	uint32_t sum = (uint16_t)~rd16(csum) + (uint32_t)(uint16_t)~old + new_;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	wr16(csum, (uint16_t)~sum);
}

void ul_csum_update32(uint8_t *csum, uint32_t old, uint32_t new_)
{
	ul_csum_update16(csum, (uint16_t)(old >> 16), (uint16_t)(new_ >> 16));
	ul_csum_update16(csum, (uint16_t)old, (uint16_t)new_);
}

static bool for_us(uint32_t dst)
{
	if (netif_owning(dst) || ip_is_multicast(dst))
		return true;
	for (unsigned i = 0; i < netif_count(); i++)
		if (netif_is_broadcast(netif_get(i), dst))
			return true;
	return false;
}

int ul_forward_route(uint32_t dst)
{
	if (for_us(dst))
		return UL_FWD_SELF;
	uint32_t hop;
	struct netif *nif = netif_route(dst, &hop);
	return nif ? (int)nif->index : UL_FWD_NOROUTE;
}

/* A token bucket refilled each second: a flood of expiring datagrams
 * gets at most ERROR_BURST answers a second. */
static bool error_token(void)
{
	uint64_t now = net_now();
	if (now - error_tokens_at >= 1000000000ull) {
		error_tokens_at = now;
		error_tokens = ERROR_BURST;
	}
	if (error_tokens == 0)
		return false;
	error_tokens--;
	return true;
}

/* Whether RFC 1812 4.3.2.7 lets us answer datagram h with an error: not
 * an ICMP error itself, not a later fragment, not from an address that
 * names no single host. */
static bool may_answer(const uint8_t *h, size_t hlen, size_t len)
{
	uint32_t src = rd32(h + IP_SRC);
	if (src == 0 || for_us(src) || (rd16(h + IP_FRAG) & IP_FRAG_OFFSET))
		return false;
	if (h[IP_PROTO] == IP_PROTO_ICMP) {
		if (len < hlen + 1)
			return false;
		if (!icmp_is_request(h[hlen + ICMP_TYPE]))
			return false;
	}
	return true;
}

/* An ICMP error about datagram h, from the address of the interface it
 * came in on (RFC 1812 4.3.2.4), quoting its header and 8 bytes more. */
static void answer(struct netif *in, const uint8_t *h, size_t hlen,
                   size_t len, uint8_t type, uint8_t code, uint32_t word)
{
	if (!in->addr || !may_answer(h, hlen, len) || !error_token())
		return;
	icmp_error_output(h, hlen, len, type, code, word, in->addr, -1);
}

/* The header checks ip_input makes, minus "is it ours": 0 when the
 * datagram is malformed (ip_input then drops and counts it). */
static size_t header_ok(struct pbuf *p)
{
	const uint8_t *h = p->data;
	if (p->len < IP_HLEN || ip_version(h) != IP_VERSION)
		return 0;
	size_t hlen = ip_hlen(h);
	size_t total = rd16(h + IP_TOTAL_LEN);
	if (hlen < IP_HLEN || hlen > total || total > p->len ||
	    csum(h, hlen) != 0)
		return 0;
	pbuf_trim(p, total);
	return hlen;
}

/* The interface p leaves through and its next hop, or NULL when p
cannot go: no route, its TTL at its end, too big for the link; then p
is answered with the ICMP error that says so, and freed. */
static struct netif *way_out(struct netif *in, struct pbuf *p, size_t hlen,
                             uint32_t *hop)
{
	const uint8_t *h = p->data;
	struct netif *out = netif_route(rd32(h + IP_DST), hop);
	if (!out) {
		stats.no_route++;
		answer(in, h, hlen, p->len, ICMP_UNREACH, ICMP_UNREACH_NET, 0);
	} else if (h[IP_TTL] <= 1) {
		stats.ttl_exceeded++;
		answer(in, h, hlen, p->len, ICMP_TIME_EXCEEDED, 0, 0);
		out = NULL;
	} else if (p->len > out->mtu) {
		/* Not fragmented here: the sender learns the MTU (RFC 1191)
		 * when it set DF; without DF the datagram is lost, counted. */
		stats.too_big++;
		if (rd16(h + IP_FRAG) & IP_FLAG_DF)
			answer(in, h, hlen, p->len, ICMP_UNREACH,
			       ICMP_UNREACH_NEEDFRAG, out->mtu);
		out = NULL;
	}
	if (!out)
		pbuf_free(p);
	return out;
}

bool forward_input(struct netif *nif, struct pbuf *p)
{
	size_t hlen;
	if (!on || !nif->addr || !(hlen = header_ok(p)))
		return false;
	uint8_t *h = p->data;
	uint32_t src = rd32(h + IP_SRC);
	/* Not forwarded, ever: from a broadcast, multicast or our own
	 * address (RFC 1812 5.3.7); ip_input drops those too. */
	if (src == UL_IP_BROADCAST || ip_is_multicast(src) || for_us(src))
		return false;
	/* A datagram that cannot go on is answered before the filter
	 * rewrites it: the error must quote what its sender sent. Only one
	 * addressed to us may be rewritten to go on (a port forward, a
	 * reply to a masqueraded flow): it is checked after. */
	uint32_t hop, dst = rd32(h + IP_DST);
	bool checked = !for_us(dst);
	if (checked && !way_out(nif, p, hlen, &hop))
		return true;
	if (filter) {
		struct ul_fwd_pkt pk = {nif->index, h, hlen, p->len};
		if (filter(&pk) == UL_FWD_DROP) {
			stats.dropped++;
			pbuf_free(p);
			return true;
		}
	}
	if (for_us(rd32(h + IP_DST)))
		return false;
	struct netif *out = checked && rd32(h + IP_DST) == dst
	                            ? netif_route(dst, &hop)
	                            : way_out(nif, p, hlen, &hop);
	if (!out)
		return true;
	uint16_t old = rd16(h + IP_TTL);
	h[IP_TTL]--;
	ul_csum_update16(h + IP_CSUM, old, rd16(h + IP_TTL));
	if (arp_output(out, p, hop) < 0)
		stats.not_sent++;
	else
		stats.forwarded++;
	return true;
}
