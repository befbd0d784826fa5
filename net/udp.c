/* UDP: validate length and checksum, deliver to the endpoint or answer
 * with port unreachable; build datagrams on the way out. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "checksum.h"
#include "icmp.h"
#include "netif.h"
#include "stack.h"
#include "udp.h"
#include "wire.h"

void udp_input(const struct ip_meta *m, struct pbuf *p)
{
	NET_COUNT(udp_in);
	const uint8_t *h = p->data;
	size_t ulen = p->len >= UDP_HLEN ? rd16(h + UDP_LEN) : 0;
	if (ulen < UDP_HLEN || ulen > p->len) {
		NET_COUNT(udp_drop);
		pbuf_free(p);
		return;
	}
	pbuf_trim(p, ulen);
	/* A zero checksum means the sender computed none (RFC 768). */
	if (rd16(h + UDP_CSUM) != 0 &&
	    csum_finish(csum_add(csum_pseudo(m->src, m->dst, IP_PROTO_UDP,
	                                     (uint16_t)ulen),
	                         h, ulen)) != 0) {
		NET_COUNT(udp_csum_err);
		pbuf_free(p);
		return;
	}
	uint16_t sport = rd16(h + UDP_SPORT), dport = rd16(h + UDP_DPORT);
	struct dgram_pcb *pcb = dgram_lookup(IP_PROTO_UDP, m->nif->index,
	                                     m->dst, dport, m->src, sport);
	if (!pcb) {
		NET_COUNT(udp_no_port);
		icmp_send_unreachable(m, p, ICMP_UNREACH_PORT);
		pbuf_free(p);
		return;
	}
	pbuf_pull(p, UDP_HLEN);
	dgram_deliver(pcb, p, m->src, sport);
}

static int broadcast_dst(const struct dgram_pcb *pcb, uint32_t dst)
{
	if (dst == UL_IP_BROADCAST)
		return 1;
	for (unsigned i = 0; i < netif_count(); i++)
		if ((pcb->ifindex < 0 || (unsigned)pcb->ifindex == i) &&
		    netif_is_broadcast(netif_get(i), dst))
			return 1;
	return 0;
}

long udp_output(struct dgram_pcb *pcb, const void *data, size_t len,
                uint32_t dst, uint16_t dport)
{
	if (len > UDP_MAX_PAYLOAD)
		return -UL_EMSGSIZE;
	if (dport == 0 || (broadcast_dst(pcb, dst) && !pcb->broadcast))
		return -UL_EINVAL;
	int rc = dgram_autobind(pcb);
	if (rc < 0)
		return rc;
	uint32_t src = pcb->laddr ? pcb->laddr
	                          : ip_source_for(dst, pcb->ifindex);
	struct pbuf *p = pbuf_alloc(PBUF_HEADROOM, UDP_HLEN + len);
	if (!p)
		return -UL_ENOMEM;
	uint8_t *h = p->data;
	wr16(h + UDP_SPORT, pcb->lport);
	wr16(h + UDP_DPORT, dport);
	wr16(h + UDP_LEN, (uint16_t)(UDP_HLEN + len));
	wr16(h + UDP_CSUM, 0);
	ul_memcpy(h + UDP_HLEN, data, len);
	uint16_t sum = csum_finish(csum_add(
		csum_pseudo(src, dst, IP_PROTO_UDP, (uint16_t)p->len), h,
		p->len));
	wr16(h + UDP_CSUM, sum ? sum : 0xffff);
	NET_COUNT(udp_out);
	rc = ip_output(p, src, dst, IP_PROTO_UDP, pcb->ifindex);
	return rc < 0 ? rc : (long)len;
}
