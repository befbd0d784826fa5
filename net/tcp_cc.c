/* TCP congestion control and loss recovery: slow start and congestion
 * avoidance (RFC 5681, with RFC 3465 byte counting and the RFC 6928
 * initial window), limited transmit (RFC 3042), fast retransmit on three
 * duplicate ACKs or on SACK evidence (RFC 6675's IsLost), with fewer when
 * fewer segments are out (RFC 5827 early retransmit), NewReno partial
 * ACKs (RFC 6582), and the collapse to one segment on a timeout. */
#include "stack.h"
#include "tcp.h"

static uint32_t half_flight(const struct tcp_pcb *pcb)
{
	uint32_t flight = pcb->snd_max - pcb->snd_una;
	return flight / 2 > 2u * pcb->mss ? flight / 2 : 2u * pcb->mss;
}

/* DupThresh: three, or one less than the segments in flight when that
 * is smaller, since a short flight cannot raise three duplicates. */
static unsigned dup_threshold(const struct tcp_pcb *pcb)
{
	uint32_t flight = pcb->snd_max - pcb->snd_una;
	unsigned segs = (unsigned)((flight + pcb->mss - 1) / pcb->mss);
	return segs >= 2 && segs < 4 ? segs - 1 : 3;
}

void tcp_cc_init(struct tcp_pcb *pcb)
{
	uint32_t iw = 2u * pcb->mss > 14600 ? 2u * pcb->mss : 14600;
	pcb->cwnd = 10u * pcb->mss < iw ? 10u * pcb->mss : iw;
	pcb->ssthresh = UINT32_MAX;
}

uint32_t tcp_cc_window(const struct tcp_pcb *pcb)
{
	if (pcb->in_recovery || pcb->dupacks == 0 || pcb->dupacks > 2)
		return pcb->cwnd;
	return pcb->cwnd + pcb->dupacks * (uint32_t)pcb->mss;
}

static void enter_recovery(struct tcp_pcb *pcb)
{
	pcb->ssthresh = half_flight(pcb);
	pcb->recover = pcb->snd_max;
	pcb->in_recovery = true;
	NET_COUNT(tcp_fast_retransmits);
	pcb->rtx_next = tcp_retransmit_first(pcb);
	pcb->cwnd = pcb->ssthresh + 3u * pcb->mss;
}

void tcp_cc_dupack(struct tcp_pcb *pcb)
{
	NET_COUNT(tcp_dup_acks);
	pcb->dupacks++;
	/* Not for data sent before a timeout (RFC 6582 4.1). */
	if (pcb->dupacks == dup_threshold(pcb) && !pcb->in_recovery &&
	    SEQ_GT(pcb->snd_una, pcb->recover))
		enter_recovery(pcb);
	else if (pcb->dupacks > 3 && pcb->in_recovery)
		pcb->cwnd += pcb->mss; /* a segment has left the network */
}

/* After an ACK's SACK blocks are in: recover if they show the first
 * segment lost; in recovery, resend the next hole (one per ACK, which
 * keeps the retransmissions clocked by the peer). A hole that starts at
 * the last recovery point is new data lost, which SACK (unlike a bare
 * duplicate ACK) shows beyond doubt: no need to wait past it. */
void tcp_cc_sack(struct tcp_pcb *pcb)
{
	if (!pcb->in_recovery) {
		if (SEQ_GEQ(pcb->snd_una, pcb->recover) &&
		    tcp_sack_first_lost(pcb, dup_threshold(pcb)))
			enter_recovery(pcb);
		return;
	}
	uint32_t seq;
	size_t len;
	if (tcp_sack_next_hole(pcb, pcb->rtx_next, &seq, &len)) {
		tcp_emit(pcb, seq, len, TCP_ACK);
		pcb->rtx_next = seq + (uint32_t)len;
	}
}

void tcp_cc_ack(struct tcp_pcb *pcb, uint32_t acked)
{
	uint32_t mss = pcb->mss;
	pcb->dupacks = 0;
	if (SEQ_LT(pcb->rtx_next, pcb->snd_una))
		pcb->rtx_next = pcb->snd_una;
	if (pcb->in_recovery) {
		if (SEQ_GEQ(pcb->snd_una, pcb->recover)) {
			/* full acknowledgment: deflate to ssthresh (RFC 6582
			 * 3.2 step 3, its second choice) */
			pcb->cwnd = pcb->ssthresh;
			pcb->in_recovery = false;
			return;
		}
		/* partial acknowledgment: the next hole is lost too */
		if (pcb->rtx_next == pcb->snd_una)
			pcb->rtx_next = tcp_retransmit_first(pcb);
		pcb->cwnd = pcb->cwnd > acked ? pcb->cwnd - acked + mss : mss;
		return;
	}
	if (pcb->cwnd < pcb->ssthresh)
		pcb->cwnd += acked < 2 * mss ? acked : 2 * mss;
	else
		pcb->cwnd += mss * mss / pcb->cwnd ? mss * mss / pcb->cwnd : 1;
	if (pcb->cwnd > (1u << 30))
		pcb->cwnd = 1u << 30;
}

/* RFC 5681 (3.1, eq. 4) and RFC 2018's advice to distrust SACK
 * information after a timeout (the peer may have dropped what it held). */
void tcp_cc_timeout(struct tcp_pcb *pcb)
{
	pcb->ssthresh = half_flight(pcb);
	pcb->cwnd = pcb->mss;
	pcb->in_recovery = false;
	pcb->recover = pcb->snd_max;
	pcb->dupacks = 0;
	tcp_sack_clear(pcb);
}
