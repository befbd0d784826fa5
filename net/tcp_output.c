/* TCP output: which segments may leave now (window, congestion window,
 * Nagle, sender-side silly-window avoidance), building them, the window we
 * offer (receiver-side silly-window avoidance), and resets. */
#include <unilab/string.h>
#include "checksum.h"
#include "stack.h"
#include "tcp.h"
#include "wire.h"

#define PERSIST_MIN (200 * TCP_MS)

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* RFC 9293 3.8.6.2.2: the right edge moves on only by a worthwhile step
 * (a segment, or half the buffer if that is smaller), and never back. */
uint32_t tcp_rcv_window(const struct tcp_pcb *pcb)
{
	const struct ringbuf *rb = &pcb->rcvbuf;
	size_t space = rb->limit > rb->len ? rb->limit - rb->len : 0;
	uint32_t cur = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt)
	                       ? pcb->rcv_adv - pcb->rcv_nxt : 0;
	size_t max = (size_t)TCP_WINDOW_MAX << pcb->rcv_wscale;
	size_t step = min_size(rb->limit / 2, pcb->mss);
	space = min_size(space, max);
	return space < (size_t)cur + step ? cur : (uint32_t)space;
}

uint8_t tcp_wscale_for(size_t limit)
{
	uint8_t shift = 0;
	while (shift < TCP_WSCALE_MAX &&
	       ((size_t)TCP_WINDOW_MAX << shift) < limit)
		shift++;
	return shift;
}

/* The 16-bit window field: scaled except in SYN segments (RFC 7323
 * 2.2), rounded so the offered edge never moves left. */
static uint16_t window_field(struct tcp_pcb *pcb, bool syn)
{
	uint32_t win = tcp_rcv_window(pcb);
	uint32_t field;
	if (syn) {
		field = win > TCP_WINDOW_MAX ? TCP_WINDOW_MAX : win;
		pcb->rcv_adv = pcb->rcv_nxt + field;
		return (uint16_t)field;
	}
	uint32_t cur = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt)
	                       ? pcb->rcv_adv - pcb->rcv_nxt : 0;
	field = win >> pcb->rcv_wscale;
	if ((field << pcb->rcv_wscale) < cur)
		field++;
	if (field > TCP_WINDOW_MAX)
		field = TCP_WINDOW_MAX;
	pcb->rcv_adv = pcb->rcv_nxt + (field << pcb->rcv_wscale);
	return (uint16_t)field;
}

/* MSS, then SACK-permitted and window scale when they are on, each
 * NOP-padded to 4 bytes. */
static size_t syn_options(struct tcp_pcb *pcb, uint8_t *o)
{
	size_t mss = ip_mtu_for(pcb->raddr) - TCP_HLEN;
	size_t n = 4;
	o[TCP_OPT_KIND] = TCP_OPT_MSS;
	o[TCP_OPT_LEN] = TCP_OPT_MSS_LEN;
	if (mss > UINT16_MAX)
		mss = UINT16_MAX;
	wr16(o + TCP_OPT_VALUE, (uint16_t)mss);
	if (pcb->sack_ok) {
		static const uint8_t sack_permitted[] = {
			TCP_OPT_NOP, TCP_OPT_NOP, TCP_OPT_SACK_OK,
			TCP_OPT_SACK_OK_LEN};
		ul_memcpy(o + n, sack_permitted, 4);
		n += 4;
	}
	if (pcb->ws_ok) {
		o[n] = TCP_OPT_NOP;
		o[n + 1] = TCP_OPT_WSCALE;
		o[n + 2] = TCP_OPT_WSCALE_LEN;
		o[n + 3] = pcb->rcv_wscale;
		n += 4;
	}
	return n;
}

/* The payload a segment may carry: the MSS less the options it has. */
static size_t segment_room(const struct tcp_pcb *pcb)
{
	return pcb->mss - tcp_ooo_option_length(pcb);
}

static void finish_and_send(struct pbuf *p, uint32_t src, uint32_t dst)
{
	uint8_t *h = p->data;
	uint16_t sum = csum_finish(csum_add(
		csum_pseudo(src, dst, IP_PROTO_TCP, (uint16_t)p->len), h,
		p->len));
	wr16(h + TCP_CSUM, sum);
	NET_COUNT(tcp_out);
	if (h[TCP_FLAGS] & TCP_RST)
		NET_COUNT(tcp_rst_out);
	ip_output(p, src, dst, IP_PROTO_TCP, -1);
}

static void fill_header(uint8_t *h, uint16_t sport, uint16_t dport,
                        uint32_t seq, uint32_t ack, size_t hlen,
                        uint8_t flags, uint16_t wnd)
{
	wr16(h + TCP_SPORT, sport);
	wr16(h + TCP_DPORT, dport);
	wr32(h + TCP_SEQ, seq);
	wr32(h + TCP_ACKNO, ack);
	h[TCP_OFFSET] = (uint8_t)(hlen / 4 << 4);
	h[TCP_FLAGS] = flags;
	wr16(h + TCP_WINDOW, wnd);
	wr16(h + TCP_CSUM, 0);
	wr16(h + TCP_URGENT, 0);
}

void tcp_emit(struct tcp_pcb *pcb, uint32_t seq, size_t len, uint8_t flags)
{
	uint8_t opts[TCP_OPTIONS_MAX];
	bool syn = flags & TCP_SYN;
	size_t optlen = syn ? syn_options(pcb, opts)
	                : flags & TCP_ACK ? tcp_ooo_option(pcb, opts) : 0;
	size_t hlen = TCP_HLEN + optlen;
	struct pbuf *p = pbuf_alloc(PBUF_HEADROOM, hlen + len);
	if (!p)
		return;
	uint8_t *h = p->data;
	uint32_t ack = flags & TCP_ACK ? pcb->rcv_nxt : 0;
	fill_header(h, pcb->lport, pcb->rport, seq, ack, hlen, flags,
	            flags & TCP_RST ? 0 : window_field(pcb, syn));
	ul_memcpy(h + TCP_HLEN, opts, optlen);
	if (len)
		rb_read_at(&pcb->sndbuf, seq - pcb->snd_una, h + hlen, len);
	if (flags & TCP_ACK) {
		pcb->ack_pending = 0;
		pcb->ack_now = false;
		ul_timer_cancel(&pcb->ack_timer);
	}
	if (SEQ_LT(seq, pcb->snd_max) && (len || (flags & (TCP_SYN | TCP_FIN))))
		NET_COUNT(tcp_retransmits);
	finish_and_send(p, pcb->laddr, pcb->raddr);
}

void tcp_send_ack(struct tcp_pcb *pcb)
{
	tcp_emit(pcb, pcb->snd_nxt, 0, TCP_ACK);
}

void tcp_send_rst(struct tcp_pcb *pcb)
{
	tcp_emit(pcb, pcb->snd_nxt, 0, TCP_RST);
}

void tcp_reply_rst(uint32_t laddr, uint16_t lport, uint32_t raddr,
                   uint16_t rport, uint32_t seq, uint32_t ack, bool has_ack,
                   size_t seg_len)
{
	struct pbuf *p = pbuf_alloc(PBUF_HEADROOM, TCP_HLEN);
	if (!p)
		return;
	if (has_ack)
		fill_header(p->data, lport, rport, ack, 0, TCP_HLEN, TCP_RST, 0);
	else
		fill_header(p->data, lport, rport, 0, seq + (uint32_t)seg_len,
		            TCP_HLEN, TCP_RST | TCP_ACK, 0);
	finish_and_send(p, laddr, raddr);
}

static bool fin_was_sent(const struct tcp_pcb *pcb)
{
	return pcb->fin_queued &&
	       SEQ_GT(pcb->snd_max, pcb->snd_una + (uint32_t)pcb->sndbuf.len);
}

uint32_t tcp_retransmit_first(struct tcp_pcb *pcb)
{
	pcb->timing = false; /* Karn: no samples from retransmissions */
	if (pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RCVD) {
		uint8_t flags = TCP_SYN;
		if (pcb->state == TCP_SYN_RCVD)
			flags |= TCP_ACK;
		tcp_emit(pcb, pcb->iss, 0, flags);
		pcb->snd_nxt = pcb->iss + 1;
		return pcb->snd_nxt;
	}
	size_t avail = pcb->sndbuf.len;
	size_t len = min_size(avail, segment_room(pcb));
	uint8_t flags = TCP_ACK;
	if (len == avail && fin_was_sent(pcb))
		flags |= TCP_FIN;
	uint32_t end = pcb->snd_una + (uint32_t)len + (flags & TCP_FIN ? 1 : 0);
	if (end == pcb->snd_una)
		return end;
	tcp_emit(pcb, pcb->snd_una, len, flags);
	if (SEQ_GT(end, pcb->snd_nxt))
		pcb->snd_nxt = end;
	return end;
}

/* Nagle (RFC 896, RFC 1122 4.2.3.4) and sender-side SWS avoidance: a
 * short segment goes only if it empties the buffer with nothing in
 * flight (or Nagle is off), or fills half the largest window seen. With
 * nothing in flight a short one always goes, or nothing would ever come
 * back to open the window further. */
static bool worth_sending(const struct tcp_pcb *pcb, size_t len, size_t avail)
{
	if (len >= segment_room(pcb) || SEQ_LT(pcb->snd_nxt, pcb->snd_max))
		return true;
	bool idle = pcb->snd_nxt == pcb->snd_una;
	return idle || (len == avail && pcb->nodelay) ||
	       len >= pcb->max_snd_wnd / 2;
}

static bool send_one(struct tcp_pcb *pcb)
{
	uint32_t end = pcb->snd_una + (uint32_t)pcb->sndbuf.len;
	uint32_t cwnd = tcp_cc_window(pcb);
	uint32_t wnd = pcb->snd_wnd < cwnd ? pcb->snd_wnd : cwnd;
	uint32_t right = pcb->snd_una + wnd;
	size_t avail = SEQ_LT(pcb->snd_nxt, end) ? end - pcb->snd_nxt : 0;
	size_t usable = SEQ_LT(pcb->snd_nxt, right) ? right - pcb->snd_nxt
	                                             : 0;
	size_t len = min_size(min_size(avail, usable), segment_room(pcb));
	bool fin = pcb->fin_queued && len == avail &&
	           SEQ_LEQ(pcb->snd_nxt, end);
	if (len == 0 && !fin)
		return false;
	if (!fin && !worth_sending(pcb, len, avail))
		return false;
	bool fresh = !SEQ_LT(pcb->snd_nxt, pcb->snd_max);
	if (!pcb->timing && fresh && len) {
		pcb->timing = true;
		pcb->rtt_seq = pcb->snd_nxt + (uint32_t)len;
		pcb->rtt_start = net_now();
	}
	uint8_t flags = TCP_ACK;
	if (fin)
		flags |= TCP_FIN;
	if (len && len == avail)
		flags |= TCP_PSH;
	tcp_emit(pcb, pcb->snd_nxt, len, flags);
	pcb->snd_nxt += (uint32_t)len + (fin ? 1 : 0);
	if (SEQ_GT(pcb->snd_nxt, pcb->snd_max))
		pcb->snd_max = pcb->snd_nxt;
	tcp_timer_rto_ensure(pcb);
	return true;
}

static bool may_send_data(enum tcp_state s)
{
	return s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT ||
	       s == TCP_FIN_WAIT_1 || s == TCP_CLOSING || s == TCP_LAST_ACK;
}

/* Unsent data, a window of zero and nothing in flight to bring news of
 * the window opening: only the persist timer will find out. */
static void maybe_persist(struct tcp_pcb *pcb)
{
	uint32_t end = pcb->snd_una + (uint32_t)pcb->sndbuf.len;
	bool unsent = SEQ_LT(pcb->snd_nxt, end);
	if (unsent && pcb->snd_wnd == 0 && pcb->snd_una == pcb->snd_max &&
	    !ul_timer_pending(&pcb->rtx_timer)) {
		pcb->retries = 0;
		tcp_timer_set(pcb, TCP_TIMER_PERSIST,
		              pcb->rto > PERSIST_MIN ? pcb->rto : PERSIST_MIN);
	}
}

void tcp_output(struct tcp_pcb *pcb)
{
	if (may_send_data(pcb->state)) {
		while (send_one(pcb))
			;
		maybe_persist(pcb);
	}
	if (pcb->ack_now && pcb->state >= TCP_ESTABLISHED)
		tcp_send_ack(pcb);
}

void tcp_window_update(struct tcp_pcb *pcb)
{
	if (pcb->state != TCP_ESTABLISHED && pcb->state != TCP_FIN_WAIT_1 &&
	    pcb->state != TCP_FIN_WAIT_2)
		return;
	uint32_t cur = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt)
	                       ? pcb->rcv_adv - pcb->rcv_nxt : 0;
	uint32_t win = tcp_rcv_window(pcb);
	/* Worth a segment when the window at least doubles (or opens from
	 * nothing); smaller gains ride on the next ACK. */
	if (win > cur && win >= 2 * cur) {
		pcb->ack_now = true;
		tcp_output(pcb);
	}
}
