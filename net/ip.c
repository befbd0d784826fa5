/* IPv4 input and output. Input checks every header field it relies on
 * before any layer above sees the datagram; output routes, fills the
 * header and fragments what the link cannot carry whole. */
#include <stdbool.h>
#include <unilab/errno.h>
#include <unilab/panic.h> /* the arp-ip lab's stubs */
#include <unilab/string.h>
#include "arp.h"
#include "checksum.h"
#include "forward.h"
#include "icmp.h"
#include "ip.h"
#include "ip_reass.h"
#include "loopback.h"
#include "pmtu.h"
#include "stack.h"
#include "tcp.h"
#include "udp.h"
#include "wire.h"

static uint16_t next_id;

static int bad_source(uint32_t src)
{
	return src == UL_IP_BROADCAST || ip_is_multicast(src);
}

/* Everything but the checksum of the transport; returns the header length
 * or 0 when the datagram must go. Ethernet padding is trimmed off. A
 * datagram from the wire that claims to come from us is forged (and,
 * answered, would answer itself forever: the old "land" attack). */
static size_t validate(struct netif *nif, struct pbuf *p, bool local)
{
	/* LAB arp-ip.validate BEGIN: check what the layers above will trust:
	 * version 4; a header length of at least IP_HLEN within the total
	 * length, itself within what arrived; the header checksum (csum over
	 * the header is 0, else count ip_csum_err); a source that can be one
	 * (bad_source) and not one of ours unless local (netif_owning); a
	 * destination this interface accepts. Trim Ethernet's padding to the
	 * total length (pbuf_trim); return the header length, or 0 to drop. */
	const uint8_t *h = p->data;
	if (p->len < IP_HLEN || ip_version(h) != IP_VERSION)
		return 0;
	size_t hlen = ip_hlen(h);
	size_t total = rd16(h + IP_TOTAL_LEN);
	if (hlen < IP_HLEN || hlen > total || total > p->len)
		return 0;
	if (csum(h, hlen) != 0) {
		NET_COUNT(ip_csum_err);
		return 0;
	}
	uint32_t src = rd32(h + IP_SRC);
	if (bad_source(src) || !netif_accepts(nif, rd32(h + IP_DST)) ||
	    (!local && netif_owning(src)))
		return 0;
	pbuf_trim(p, total);
	return hlen;
	/* LAB arp-ip.validate END: (void)nif; (void)p; (void)local; (void)bad_source;
	 * ul_panic("lab arp-ip: validate is not written yet"); */
}

static void deliver(struct netif *nif, struct pbuf *p, size_t hlen)
{
	struct ip_meta m = {
		.nif = nif,
		.src = rd32(p->data + IP_SRC),
		.dst = rd32(p->data + IP_DST),
		.proto = p->data[IP_PROTO],
		.hdr = p->data,
		.hlen = hlen,
	};
	m.broadcast = netif_is_broadcast(nif, m.dst);
	pbuf_pull(p, hlen);
	NET_COUNT(ip_in);
	switch (m.proto) {
	case IP_PROTO_ICMP:
		icmp_input(&m, p);
		break;
	case IP_PROTO_UDP:
		udp_input(&m, p);
		break;
	case IP_PROTO_TCP:
		tcp_input(&m, p);
		break;
	default:
		NET_COUNT(ip_drop);
		if (!m.broadcast)
			icmp_send_unreachable(&m, p, ICMP_UNREACH_PROTOCOL);
		pbuf_free(p);
	}
}

void ip_input(struct netif *nif, struct pbuf *p, bool local)
{
	if (!local && forward_input(nif, p))
		return;
	size_t hlen = validate(nif, p, local);
	if (!hlen) {
		NET_COUNT(ip_drop);
		pbuf_free(p);
		return;
	}
	if (rd16(p->data + IP_FRAG) & (IP_FLAG_MF | IP_FRAG_OFFSET)) {
		NET_COUNT(ip_frag_in);
		p = ip_reass_add(p);
		if (!p)
			return;
		hlen = ip_hlen(p->data);
	}
	deliver(nif, p, hlen);
}

static void fill_header(uint8_t *h, size_t total, uint16_t id,
                        uint16_t frag, uint8_t proto, uint32_t src,
                        uint32_t dst)
{
	/* LAB arp-ip.header BEGIN: RFC 791's header: version 4 and five
	 * 32-bit words, no type of service, the total length, id, the
	 * fragment field (flags and offset), IP_DEFAULT_TTL, the protocol,
	 * the addresses; the checksum last, over the header with the field
	 * at 0. */
	h[IP_VERSION_IHL] = IP_VERSION << 4 | IP_HLEN / 4;
	h[IP_TOS] = 0;
	wr16(h + IP_TOTAL_LEN, (uint16_t)total);
	wr16(h + IP_ID, id);
	wr16(h + IP_FRAG, frag);
	h[IP_TTL] = IP_DEFAULT_TTL;
	h[IP_PROTO] = proto;
	wr16(h + IP_CSUM, 0);
	wr32(h + IP_SRC, src);
	wr32(h + IP_DST, dst);
	wr16(h + IP_CSUM, csum(h, IP_HLEN));
	/* LAB arp-ip.header END: (void)h; (void)total; (void)id; (void)frag; (void)proto;
	 * (void)src; (void)dst; ul_panic("lab arp-ip: fill_header is not written yet"); */
}

/* Pieces of at most the link's MTU, each data part a multiple of 8 bytes
 * but the last (RFC 791 "Fragmentation and Reassembly"). */
static int fragment(struct netif *nif, struct pbuf *p, uint32_t nexthop,
                    uint8_t proto, uint32_t src, uint32_t dst)
{
	size_t step = (size_t)(nif->mtu - IP_HLEN) &
	              ~(size_t)(IP_FRAG_UNIT - 1);
	uint16_t id = next_id++;
	int rc = 0;
	for (size_t off = 0; off < p->len && rc == 0; off += step) {
		size_t n = p->len - off < step ? p->len - off : step;
		struct pbuf *f = pbuf_alloc(PBUF_HEADROOM, n);
		if (!f) {
			rc = -UL_ENOMEM;
			break;
		}
		ul_memcpy(f->data, p->data + off, n);
		uint16_t frag = (uint16_t)(off / IP_FRAG_UNIT);
		if (off + n < p->len)
			frag |= IP_FLAG_MF;
		fill_header(pbuf_push(f, IP_HLEN), IP_HLEN + n, id, frag, proto,
		            src, dst);
		NET_COUNT(ip_frag_out);
		rc = arp_output(nif, f, nexthop);
	}
	pbuf_free(p);
	return rc;
}

/* The interface and next hop for dst, honouring a forced interface
 * (through which anything off its link goes to the gateway). */
static struct netif *route(uint32_t dst, int ifindex, uint32_t *nexthop)
{
	if (ifindex < 0 && dst != UL_IP_BROADCAST)
		return netif_route(dst, nexthop);
	struct netif *nif = netif_get(ifindex < 0 ? 0 : (unsigned)ifindex);
	if (!nif)
		return NULL;
	*nexthop = dst;
	if (netif_is_broadcast(nif, dst))
		return nif;
	uint32_t hop;
	if (netif_route(dst, &hop) == nif)
		*nexthop = hop;
	else if (net_gateway)
		*nexthop = net_gateway;
	return nif;
}

static int push_header(struct pbuf *p, uint16_t frag, uint8_t proto,
                       uint32_t src, uint32_t dst)
{
	uint8_t *h = pbuf_push(p, IP_HLEN);
	if (!h)
		return -UL_EINVAL;
	fill_header(h, p->len, next_id++, frag, proto, src, dst);
	return 0;
}

int ip_output(struct pbuf *p, uint32_t src, uint32_t dst, uint8_t proto,
              int ifindex)
{
	if (IP_HLEN + p->len > IP_MAX_LEN) {
		pbuf_free(p);
		return -UL_EMSGSIZE;
	}
	struct netif *self = netif_owning(dst);
	if (self) {
		if (push_header(p, 0, proto, src ? src : dst, dst) < 0) {
			pbuf_free(p);
			return -UL_EINVAL;
		}
		NET_COUNT(ip_out);
		return loopback_output(self, p);
	}
	uint32_t nexthop;
	struct netif *nif = route(dst, ifindex, &nexthop);
	if (!nif) {
		NET_COUNT(ip_no_route);
		pbuf_free(p);
		return -UL_ENETUNREACH;
	}
	if (src == 0)
		src = nif->addr;
	NET_COUNT(ip_out);
	if (IP_HLEN + p->len > nif->mtu)
		return fragment(nif, p, nexthop, proto, src, dst);
	/* TCP finds the path MTU itself (tcp_pmtu.c): routers must not
	 * fragment its segments but say when they are too big. */
	uint16_t frag = proto == IP_PROTO_TCP ? IP_FLAG_DF : 0;
	if (push_header(p, frag, proto, src, dst) < 0) {
		pbuf_free(p);
		return -UL_EINVAL;
	}
	return arp_output(nif, p, nexthop);
}

uint32_t ip_source_for(uint32_t dst, int ifindex)
{
	if (netif_owning(dst))
		return dst;
	uint32_t hop;
	struct netif *nif = route(dst, ifindex, &hop);
	return nif ? nif->addr : 0;
}

size_t ip_mtu_for(uint32_t dst)
{
	uint32_t hop;
	struct netif *nif = netif_owning(dst);
	if (!nif)
		nif = netif_route(dst, &hop);
	size_t mtu = nif ? nif->mtu : IP_MIN_DATAGRAM;
	uint16_t path = pmtu_get(dst);
	return (path && path < mtu ? path : mtu) - IP_HLEN;
}
