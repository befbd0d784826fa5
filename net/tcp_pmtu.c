/* Path-MTU discovery for TCP. Segments leave with DF set (ip.c). An ICMP
 * "fragmentation needed" (RFC 1191) about a segment still in flight
 * lowers the connection's MSS to fit and resends at once. Where routers
 * send no such ICMP (a black hole), a simple form of packetization-layer
 * PMTUD (RFC 4821, RFC 8899): segments bigger than the base size, 1200
 * bytes a packet, that time out twice in a row are tried at the base
 * size. If the next timeout comes with nothing acknowledged meanwhile,
 * it was loss, not the path: the MSS goes back, and the connection does
 * not try again (on a lossy link the trial would only cost speed). */
#include "ip.h"
#include "pmtu.h"
#include "stack.h"
#include "tcp.h"

#define PLPMTU_BASE 1200
#define BLACKHOLE_TIMEOUTS 2

/* Fit pcb's segments in packets of mtu bytes; false if they did. */
static bool lower_mss(struct tcp_pcb *pcb, uint32_t mtu)
{
	uint32_t mss = mtu - IP_HLEN - TCP_HLEN;
	if (mss >= pcb->mss)
		return false;
	pcb->mss = (uint16_t)mss;
	NET_COUNT(tcp_mss_lowered);
	return true;
}

void tcp_pmtu_icmp(uint32_t laddr, uint16_t lport, uint32_t raddr,
                   uint16_t rport, uint32_t seq, uint32_t mtu)
{
	struct tcp_pcb *pcb = tcp_lookup(laddr, lport, raddr, rport);
	/* RFC 5927 5.1: only about a segment we sent and is not yet acked */
	if (!pcb || pcb->state < TCP_ESTABLISHED ||
	    SEQ_LT(seq, pcb->snd_una) || SEQ_GEQ(seq, pcb->snd_max))
		return;
	pmtu_learn(raddr, mtu);
	/* Not a loss: no congestion response, only the segment again. */
	if (lower_mss(pcb, (uint32_t)ip_mtu_for(raddr) + IP_HLEN))
		tcp_retransmit_first(pcb);
}

void tcp_pmtu_timeout(struct tcp_pcb *pcb)
{
	if (pcb->state < TCP_ESTABLISHED || pcb->retries < BLACKHOLE_TIMEOUTS)
		return;
	if (pcb->probe_mss) {
		if (pcb->snd_una == pcb->probe_una) {
			pcb->mss = pcb->probe_mss;
			pcb->probe_failed = true;
		}
		pcb->probe_mss = 0; /* else the base size works: kept */
		return;
	}
	uint16_t mss = pcb->mss;
	if (!pcb->probe_failed && lower_mss(pcb, PLPMTU_BASE)) {
		pcb->probe_mss = mss;
		pcb->probe_una = pcb->snd_una;
	}
}
