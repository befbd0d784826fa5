/* TCP's timers: one retransmission timer per connection that also serves
 * as the persist, TIME-WAIT and FIN-WAIT-2 timer (never two at once), and
 * the delayed-ACK timer; plus the RFC 6298 round-trip estimator. */
#include <unilab/errno.h>
#include "stack.h"
#include "tcp.h"

#define PERSIST_MIN (200 * TCP_MS)

static void rtx_fired(struct ul_timer *t, void *arg);
static void ack_fired(struct ul_timer *t, void *arg);

void tcp_timers_init(struct tcp_pcb *pcb)
{
	ul_timer_init(&pcb->rtx_timer, rtx_fired, pcb);
	ul_timer_init(&pcb->ack_timer, ack_fired, pcb);
}

void tcp_timer_set(struct tcp_pcb *pcb, enum tcp_timer_mode mode,
                   uint64_t delay)
{
	pcb->rtx_mode = mode;
	ul_timer_start(&pcb->rtx_timer, net_deadline(delay));
}

void tcp_timer_stop(struct tcp_pcb *pcb)
{
	ul_timer_cancel(&pcb->rtx_timer);
}

void tcp_timer_rto_ensure(struct tcp_pcb *pcb)
{
	if (!ul_timer_pending(&pcb->rtx_timer) ||
	    pcb->rtx_mode != TCP_TIMER_RTO)
		tcp_timer_set(pcb, TCP_TIMER_RTO, pcb->rto);
}

/* RFC 6298 section 2, in nanoseconds: the first sample sets SRTT and
 * RTTVAR, later ones move them by 1/8 and 1/4. */
void tcp_rtt_sample(struct tcp_pcb *pcb, uint64_t r)
{
	/* LAB tcp.rtt BEGIN: RFC 6298 section 2: the first sample r sets
	 * SRTT = r and RTTVAR = r/2; later ones move RTTVAR by 1/4 of
	 * |SRTT - r| and SRTT by 1/8 of r. RTO = SRTT + max(G, 4 RTTVAR),
	 * kept within TCP_RTO_MIN..TCP_RTO_MAX (nanoseconds throughout). */
	if (r == 0)
		r = 1;
	if (!pcb->srtt) {
		pcb->srtt = r;
		pcb->rttvar = r / 2;
	} else {
		uint64_t d = pcb->srtt > r ? pcb->srtt - r : r - pcb->srtt;
		pcb->rttvar = pcb->rttvar - pcb->rttvar / 4 + d / 4;
		pcb->srtt = pcb->srtt - pcb->srtt / 8 + r / 8;
	}
	uint64_t var = 4 * pcb->rttvar;
	uint64_t rto = pcb->srtt + (var > TCP_CLOCK_G ? var : TCP_CLOCK_G);
	if (rto < TCP_RTO_MIN)
		rto = TCP_RTO_MIN;
	pcb->rto = rto > TCP_RTO_MAX ? TCP_RTO_MAX : rto;
	/* LAB tcp.rtt END: (void)pcb; (void)r; */
}

void tcp_delack(struct tcp_pcb *pcb)
{
	if (!ul_timer_pending(&pcb->ack_timer))
		ul_timer_start(&pcb->ack_timer, net_deadline(TCP_DELACK_NS));
}

static void ack_fired(struct ul_timer *t, void *arg)
{
	struct tcp_pcb *pcb = arg;
	(void)t;
	pcb->ack_now = true;
	tcp_output(pcb);
}

static unsigned retry_limit(const struct tcp_pcb *pcb)
{
	switch (pcb->state) {
	case TCP_SYN_SENT:
		return TCP_SYN_RETRIES;
	case TCP_SYN_RCVD:
		return TCP_SYNACK_RETRIES;
	default:
		return TCP_DATA_RETRIES;
	}
}

/* RFC 6298 5.4-5.6 and RFC 5681 (3.1, eq. 4): retransmit the earliest
 * segment, back the timer off, and restart from a one-segment window. */
static void rto_expired(struct tcp_pcb *pcb)
{
	/* LAB tcp.retransmit BEGIN: after retry_limit() tries, give up: reset
	 * a synchronized connection and finish it with -UL_ETIMEDOUT.
	 * Otherwise count the try, tell path-MTU discovery and congestion
	 * control (tcp_pmtu_timeout, tcp_cc_timeout), stop timing the RTT,
	 * double the RTO (at most TCP_RTO_MAX), go back to snd_una, resend
	 * the first segment and start the timer again. */
	if (pcb->retries >= retry_limit(pcb)) {
		NET_COUNT(tcp_conn_timeout);
		if (pcb->state > TCP_SYN_RCVD)
			tcp_send_rst(pcb);
		tcp_finish(pcb, -UL_ETIMEDOUT);
		return;
	}
	NET_COUNT(tcp_timeouts);
	pcb->retries++;
	tcp_pmtu_timeout(pcb);
	tcp_cc_timeout(pcb);
	pcb->timing = false;
	pcb->rto = pcb->rto * 2 > TCP_RTO_MAX ? TCP_RTO_MAX : pcb->rto * 2;
	pcb->snd_nxt = pcb->snd_una;
	tcp_retransmit_first(pcb);
	tcp_timer_set(pcb, TCP_TIMER_RTO, pcb->rto);
	/* LAB tcp.retransmit END: (void)pcb; (void)retry_limit; */
}

/* A zero window is probed with a segment just left of it, which any
 * receiver must answer with an ACK that carries its current window. */
static void persist_expired(struct tcp_pcb *pcb)
{
	tcp_emit(pcb, pcb->snd_una - 1, 0, TCP_ACK);
	unsigned shift = pcb->retries < 10 ? pcb->retries : 10;
	uint64_t delay = (pcb->rto > PERSIST_MIN ? pcb->rto : PERSIST_MIN)
	                 << shift;
	pcb->retries++;
	tcp_timer_set(pcb, TCP_TIMER_PERSIST,
	              delay > TCP_RTO_MAX ? TCP_RTO_MAX : delay);
}

static void rtx_fired(struct ul_timer *t, void *arg)
{
	struct tcp_pcb *pcb = arg;
	(void)t;
	switch (pcb->rtx_mode) {
	case TCP_TIMER_RTO:
		rto_expired(pcb);
		break;
	case TCP_TIMER_PERSIST:
		persist_expired(pcb);
		break;
	case TCP_TIMER_TIME_WAIT:
		tcp_finish(pcb, 0);
		break;
	case TCP_TIMER_FIN_WAIT_2:
		if (pcb->closed)
			tcp_release(pcb);
		break;
	}
}
