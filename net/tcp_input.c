/* TCP input: parse and check a segment, find its connection, and run the
 * event processing of RFC 9293 3.10.7 ("SEGMENT ARRIVES"), with the
 * RFC 5961 defences against blind resets and SYNs. */
#include <unilab/errno.h>
#include <unilab/panic.h> /* the tcp lab's stubs */
#include "checksum.h"
#include "stack.h"
#include "tcp.h"
#include "wire.h"

struct seg {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint32_t wnd;     /* the raw window field */
	uint8_t flags;
	const uint8_t *data;
	size_t len;       /* payload bytes */
	uint16_t mss;     /* MSS option, 0 if none */
	int wscale;       /* window scale option, -1 if none */
	bool sack_ok;     /* SACK-permitted option */
	const uint8_t *sack; /* SACK option blocks, nsack of them */
	unsigned nsack;
};

static size_t seg_len(const struct seg *s)
{
	return s->len + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);
}

/* Options as RFC 9293 3.1 lays them out; a malformed list ends parsing
 * and keeps what was read before it. MSS, window scale and SACK-permitted
 * count only on a SYN. */
static void parse_options(const uint8_t *o, size_t n, struct seg *s)
{
	while (n > 0 && o[TCP_OPT_KIND] != TCP_OPT_END) {
		uint8_t kind = o[TCP_OPT_KIND];
		if (kind == TCP_OPT_NOP) {
			o++;
			n--;
			continue;
		}
		if (n < TCP_OPT_VALUE || o[TCP_OPT_LEN] < TCP_OPT_VALUE ||
		    o[TCP_OPT_LEN] > n)
			return;
		uint8_t len = o[TCP_OPT_LEN];
		const uint8_t *v = o + TCP_OPT_VALUE;
		size_t vlen = len - TCP_OPT_VALUE;
		if (kind == TCP_OPT_MSS && len == TCP_OPT_MSS_LEN)
			s->mss = rd16(v);
		else if (kind == TCP_OPT_WSCALE && len == TCP_OPT_WSCALE_LEN)
			s->wscale = v[0] > TCP_WSCALE_MAX ? TCP_WSCALE_MAX
			                                  : v[0];
		else if (kind == TCP_OPT_SACK_OK && len == TCP_OPT_SACK_OK_LEN)
			s->sack_ok = true;
		else if (kind == TCP_OPT_SACK && vlen > 0 &&
		         vlen % TCP_OPT_SACK_BLOCK == 0) {
			s->sack = v;
			s->nsack = (unsigned)(vlen / TCP_OPT_SACK_BLOCK);
		}
		n -= len;
		o += len;
	}
}

static bool parse(const struct ip_meta *m, const struct pbuf *p,
                  struct seg *s)
{
	const uint8_t *h = p->data;
	if (p->len < TCP_HLEN)
		return false;
	size_t hlen = tcp_hlen(h);
	if (hlen < TCP_HLEN || hlen > p->len)
		return false;
	if (csum_finish(csum_add(csum_pseudo(m->src, m->dst, IP_PROTO_TCP,
	                                     (uint16_t)p->len),
	                         h, p->len)) != 0) {
		NET_COUNT(tcp_csum_err);
		return false;
	}
	*s = (struct seg){
		.src = m->src, .dst = m->dst,
		.sport = rd16(h + TCP_SPORT), .dport = rd16(h + TCP_DPORT),
		.seq = rd32(h + TCP_SEQ), .ack = rd32(h + TCP_ACKNO),
		.flags = h[TCP_FLAGS] & TCP_FLAGS_MASK,
		.wnd = rd16(h + TCP_WINDOW),
		.data = h + hlen, .len = p->len - hlen, .wscale = -1,
	};
	parse_options(h + TCP_HLEN, hlen - TCP_HLEN, s);
	return s->sport != 0 && s->dport != 0;
}

static void reply_rst(const struct seg *s)
{
	if (s->flags & TCP_RST)
		return;
	tcp_reply_rst(s->dst, s->dport, s->src, s->sport, s->seq, s->ack,
	              s->flags & TCP_ACK, seg_len(s));
}

/* What the peer's SYN tells us: its MSS and whether it scales windows. */
static void take_syn_options(struct tcp_pcb *pcb, const struct seg *s)
{
	size_t ours = ip_mtu_for(pcb->raddr) - TCP_HLEN;
	size_t mss = s->mss ? s->mss : TCP_MSS_DEFAULT;
	if (mss > ours)
		mss = ours;
	if (mss < TCP_MSS_MIN)
		mss = TCP_MSS_MIN;
	pcb->mss = (uint16_t)mss;
	pcb->ws_ok = pcb->ws_ok && s->wscale >= 0;
	pcb->sack_ok = pcb->sack_ok && s->sack_ok;
	pcb->snd_wscale = pcb->ws_ok ? (uint8_t)s->wscale : 0;
	pcb->rcv_wscale = pcb->ws_ok ? tcp_wscale_for(pcb->rcvbuf.limit) : 0;
	pcb->irs = s->seq;
	pcb->rcv_nxt = s->seq + 1;
	pcb->rcv_adv = pcb->rcv_nxt;
	pcb->snd_wnd = s->wnd; /* a SYN's window is never scaled */
	pcb->max_snd_wnd = s->wnd;
	pcb->snd_wl1 = s->seq;
	pcb->snd_wl2 = s->ack;
	tcp_cc_init(pcb);
}

static void synchronized_input(struct tcp_pcb *pcb, struct seg *s);

/* The half-open queue is full: answer with a SYN cookie and keep nothing.
 * The SYN-ACK is built on a connection that lives only for the call. */
static void send_cookie(const struct tcp_pcb *l, const struct seg *s)
{
	struct tcp_pcb t = {
		.laddr = s->dst, .lport = s->dport,
		.raddr = s->src, .rport = s->sport,
	};
	t.rcvbuf.limit = l->rcvbuf.limit;
	take_syn_options(&t, s); /* no window scaling, no SACK */
	uint32_t iss = tcp_cookie_make(t.laddr, t.lport, t.raddr, t.rport,
	                               s->seq, t.mss);
	tcp_emit(&t, iss, 0, TCP_SYN | TCP_ACK);
	NET_COUNT(tcp_cookies_sent);
}

/* An ACK for no connection may carry one of our cookies back: then the
 * connection is made now, as if its SYN had been queued, and the segment
 * goes on to complete the handshake. False: not a cookie of ours. */
static bool cookie_ack(struct tcp_pcb *l, struct seg *s)
{
	uint16_t mss = tcp_cookie_check(s->dst, s->dport, s->src, s->sport,
	                                s->seq - 1, s->ack - 1);
	if (mss == 0)
		return false;
	/* A full accept queue: as if the ACK was lost; the peer's next
	 * segment brings the cookie again. */
	if (l->accept_len >= l->backlog)
		return true;
	struct tcp_pcb *c = tcp_new_child(l, s->dst, s->dport, s->src, s->sport);
	if (!c)
		return true;
	NET_COUNT(tcp_cookies_ok);
	NET_COUNT(tcp_passive_opens);
	struct seg syn = {.seq = s->seq - 1, .ack = s->ack, .wnd = s->wnd,
	                  .mss = mss, .wscale = -1};
	take_syn_options(c, &syn);
	c->iss = s->ack - 1;
	c->snd_una = c->recover = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	uint32_t offered = tcp_rcv_window(c); /* what the SYN-ACK offered */
	c->rcv_adv = c->rcv_nxt +
	             (offered > TCP_WINDOW_MAX ? TCP_WINDOW_MAX : offered);
	synchronized_input(c, s);
	return true;
}

static void listen_input(struct tcp_pcb *l, struct seg *s)
{
	if (s->flags & TCP_RST)
		return;
	if (s->flags & TCP_ACK) {
		if ((s->flags & TCP_SYN) || !cookie_ack(l, s))
			reply_rst(s);
		return;
	}
	if (!(s->flags & TCP_SYN))
		return;
	if (l->accept_len >= l->backlog) {
		NET_COUNT(tcp_syn_dropped);
		return;
	}
	if (l->syn_len >= TCP_HALFOPEN_MAX) {
		send_cookie(l, s);
		return;
	}
	struct tcp_pcb *c = tcp_new_child(l, s->dst, s->dport, s->src, s->sport);
	if (!c) {
		NET_COUNT(tcp_syn_dropped);
		return;
	}
	NET_COUNT(tcp_passive_opens);
	c->ws_ok = c->sack_ok = true;
	take_syn_options(c, s);
	c->iss = tcp_new_iss(c->laddr, c->lport, c->raddr, c->rport);
	c->snd_una = c->snd_nxt = c->snd_max = c->recover = c->iss;
	tcp_emit(c, c->iss, 0, TCP_SYN | TCP_ACK);
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->timing = true;
	c->rtt_seq = c->snd_nxt;
	c->rtt_start = net_now();
	tcp_timer_set(c, TCP_TIMER_RTO, c->rto);
}

static void syn_sent_input(struct tcp_pcb *pcb, const struct seg *s)
{
	bool has_ack = s->flags & TCP_ACK;
	if (has_ack && (SEQ_LEQ(s->ack, pcb->iss) ||
	                SEQ_GT(s->ack, pcb->snd_max))) {
		reply_rst(s);
		return;
	}
	if (s->flags & TCP_RST) {
		if (has_ack) {
			NET_COUNT(tcp_rst_in);
			tcp_finish(pcb, -UL_ECONNREFUSED);
		}
		return;
	}
	if (!(s->flags & TCP_SYN))
		return;
	/* LAB tcp.state BEGIN: a SYN in SYN-SENT: take its options; without
	 * an ACK it is a simultaneous open (to SYN-RCVD, answer SYN+ACK);
	 * with one, our SYN is acknowledged: take the RTT sample if it was
	 * timed and not resent, stop the timer, enter ESTABLISHED, send the
	 * ACK at once and tell the user. */
	take_syn_options(pcb, s);
	if (!has_ack) {
		/* Simultaneous open (RFC 9293 figure 8). */
		tcp_set_state(pcb, TCP_SYN_RCVD);
		tcp_emit(pcb, pcb->iss, 0, TCP_SYN | TCP_ACK);
		return;
	}
	pcb->snd_una = s->ack;
	if (pcb->timing && pcb->retries == 0)
		tcp_rtt_sample(pcb, net_now() - pcb->rtt_start);
	pcb->timing = false;
	pcb->retries = 0;
	tcp_timer_stop(pcb);
	tcp_set_state(pcb, TCP_ESTABLISHED);
	pcb->ack_now = true;
	tcp_output(pcb);
	tcp_notify(pcb);
	/* LAB tcp.state END: (void)pcb; (void)take_syn_options; ul_panic("lab tcp: the end of syn_sent_input is not written yet"); */
}

/* RFC 9293 3.10.7.4 "first, check sequence number", with the allowance
 * for ACKs and resets at exactly RCV.NXT when the window is zero. */
static bool acceptable(const struct tcp_pcb *pcb, const struct seg *s,
                       uint32_t wnd)
{
	size_t len = seg_len(s);
	uint32_t nxt = pcb->rcv_nxt;
	if (s->seq == nxt)
		return true;
	if (wnd == 0)
		return false;
	bool first_in = SEQ_GEQ(s->seq, nxt) && SEQ_LT(s->seq, nxt + wnd);
	if (len == 0)
		return first_in;
	uint32_t last = s->seq + (uint32_t)len - 1;
	return first_in || (SEQ_GEQ(last, nxt) && SEQ_LT(last, nxt + wnd));
}

static void reset_received(struct tcp_pcb *pcb)
{
	NET_COUNT(tcp_rst_in);
	/* LAB tcp.state BEGIN: what a reset means in each state (RFC 9293
	 * 3.10.7.4 "second, check the RST bit"): in SYN-RCVD the connection
	 * ends (refused, unless it came from a listener); in the
	 * synchronized states it was reset (-UL_ECONNRESET); TIME-WAIT
	 * ignores it (RFC 1337); anything else just ends. */
	switch (pcb->state) {
	case TCP_SYN_RCVD:
		tcp_finish(pcb, pcb->listener ? 0 : -UL_ECONNREFUSED);
		break;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		NET_COUNT(tcp_conn_reset);
		tcp_finish(pcb, -UL_ECONNRESET);
		break;
	case TCP_TIME_WAIT:
		break; /* RFC 1337: no TIME-WAIT assassination */
	default:
		tcp_finish(pcb, 0);
	}
	/* LAB tcp.state END: (void)pcb; ul_panic("lab tcp: reset_received is not written yet"); */
}

/* A cumulative ACK for new data. Returns whether it covered our FIN. */
static bool new_ack(struct tcp_pcb *pcb, uint32_t ack)
{
	uint32_t acked = ack - pcb->snd_una;
	uint32_t bytes = acked;
	if (pcb->snd_una == pcb->iss)
		bytes--; /* the SYN's sequence number */
	size_t data = bytes < pcb->sndbuf.len ? bytes : pcb->sndbuf.len;
	rb_consume(&pcb->sndbuf, data);
	bool fin_acked = bytes > data;
	pcb->snd_una = ack;
	if (SEQ_LT(pcb->snd_nxt, ack))
		pcb->snd_nxt = ack;
	if (pcb->timing && SEQ_GEQ(ack, pcb->rtt_seq)) {
		tcp_rtt_sample(pcb, net_now() - pcb->rtt_start);
		pcb->timing = false;
	}
	pcb->retries = 0;
	tcp_sack_prune(pcb);
	tcp_cc_ack(pcb, acked);
	if (pcb->rtx_mode == TCP_TIMER_RTO || pcb->rtx_mode == TCP_TIMER_PERSIST) {
		if (pcb->snd_una == pcb->snd_max)
			tcp_timer_stop(pcb);
		else
			tcp_timer_set(pcb, TCP_TIMER_RTO, pcb->rto);
	}
	tcp_notify(pcb);
	return fin_acked;
}

static void update_window(struct tcp_pcb *pcb, const struct seg *s)
{
	if (SEQ_LT(pcb->snd_wl1, s->seq) ||
	    (pcb->snd_wl1 == s->seq && SEQ_LEQ(pcb->snd_wl2, s->ack))) {
		pcb->snd_wnd = s->wnd << pcb->snd_wscale;
		pcb->snd_wl1 = s->seq;
		pcb->snd_wl2 = s->ack;
		if (pcb->snd_wnd > pcb->max_snd_wnd)
			pcb->max_snd_wnd = pcb->snd_wnd;
		if (pcb->snd_wnd && pcb->rtx_mode == TCP_TIMER_PERSIST &&
		    ul_timer_pending(&pcb->rtx_timer))
			tcp_timer_stop(pcb);
	}
}

/* The handshake's last ACK. False when the segment goes no further. */
static bool finish_handshake(struct tcp_pcb *pcb, const struct seg *s)
{
	if (SEQ_LEQ(s->ack, pcb->snd_una) || SEQ_GT(s->ack, pcb->snd_max)) {
		reply_rst(s);
		return false;
	}
	/* A full accept queue: behave as if the ACK was lost; the peer
	 * or our SYN-ACK retransmission tries again later. */
	if (pcb->listener && !tcp_child_established(pcb))
		return false;
	tcp_set_state(pcb, TCP_ESTABLISHED);
	pcb->snd_wnd = s->wnd << pcb->snd_wscale;
	pcb->max_snd_wnd = pcb->snd_wnd;
	pcb->snd_wl1 = s->seq;
	pcb->snd_wl2 = s->ack;
	return true;
}

/* "fifth, check the ACK field". False when the pcb is gone or the
 * segment goes no further. */
static bool process_ack(struct tcp_pcb *pcb, const struct seg *s)
{
	if (pcb->state == TCP_SYN_RCVD && !finish_handshake(pcb, s))
		return false;
	uint32_t floor = pcb->snd_una - pcb->max_snd_wnd;
	if (SEQ_GT(s->ack, pcb->snd_max) || SEQ_LT(s->ack, floor)) {
		/* RFC 5961 5.2: an ACK for data never sent or long gone */
		pcb->ack_now = true;
		tcp_output(pcb);
		return false;
	}
	bool dup = s->ack == pcb->snd_una && s->len == 0 &&
	           !(s->flags & TCP_FIN) &&
	           (s->wnd << pcb->snd_wscale) == pcb->snd_wnd &&
	           pcb->snd_max != pcb->snd_una;
	if (pcb->sack_ok && s->nsack)
		tcp_sack_update(pcb, s->sack, s->nsack);
	bool fin_acked = false;
	if (SEQ_GT(s->ack, pcb->snd_una))
		fin_acked = new_ack(pcb, s->ack);
	else if (dup)
		tcp_cc_dupack(pcb);
	if (s->nsack && pcb->nsacked)
		tcp_cc_sack(pcb);
	update_window(pcb, s);
	if (!fin_acked)
		return true;
	/* LAB tcp.state BEGIN: our FIN is acknowledged: FIN-WAIT-1 goes to
	 * FIN-WAIT-2 (with the FIN-WAIT-2 timer when the user has closed)
	 * and tells the user; CLOSING goes to TIME-WAIT; LAST-ACK ends the
	 * connection (return false: the pcb is gone). */
	switch (pcb->state) {
	case TCP_FIN_WAIT_1:
		tcp_set_state(pcb, TCP_FIN_WAIT_2);
		if (pcb->closed)
			tcp_timer_set(pcb, TCP_TIMER_FIN_WAIT_2,
			              TCP_FIN_WAIT_2_NS);
		tcp_notify(pcb);
		return true;
	case TCP_CLOSING:
		tcp_enter_time_wait(pcb);
		return true;
	case TCP_LAST_ACK:
		tcp_finish(pcb, 0);
		return false;
	default:
		return true;
	}
	/* LAB tcp.state END: ul_panic("lab tcp: our FIN's acknowledgement in process_ack is not written yet"); */
}

/* Cut what lies before RCV.NXT or past the buffer. */
static void trim(const struct tcp_pcb *pcb, struct seg *s)
{
	if (SEQ_LT(s->seq, pcb->rcv_nxt)) {
		uint32_t d = pcb->rcv_nxt - s->seq;
		if (d > s->len)
			s->flags &= (uint8_t)~TCP_FIN;
		if (d > s->len)
			d = (uint32_t)s->len;
		s->data += d;
		s->len -= d;
		s->seq = pcb->rcv_nxt;
	}
	size_t off = s->seq - pcb->rcv_nxt;
	size_t space = pcb->rcvbuf.limit - pcb->rcvbuf.len;
	if (off + s->len > space) {
		s->len = off < space ? space - off : 0;
		s->flags &= (uint8_t)~TCP_FIN;
	}
}

static bool takes_data(enum tcp_state st)
{
	return st == TCP_ESTABLISHED || st == TCP_FIN_WAIT_1 ||
	       st == TCP_FIN_WAIT_2;
}

/* "seventh, process the segment text". False when the pcb is gone. */
static bool process_data(struct tcp_pcb *pcb, struct seg *s)
{
	if (!takes_data(pcb->state) || s->len == 0)
		return true;
	if (pcb->closed) {
		/* Nobody will read it (RFC 1122 4.2.2.13): reset. */
		tcp_send_rst(pcb);
		tcp_finish(pcb, 0);
		return false;
	}
	size_t off = s->seq - pcb->rcv_nxt;
	if (rb_write_at(&pcb->rcvbuf, pcb->rcvbuf.len + off, s->data,
	                s->len) < 0) {
		NET_COUNT(tcp_drop);
		s->flags &= (uint8_t)~TCP_FIN;
		return true;
	}
	if (off) {
		NET_COUNT(tcp_ooo_segs);
		tcp_ooo_add(pcb, s->seq, s->seq + (uint32_t)s->len);
		pcb->ack_now = true; /* a duplicate ACK for fast retransmit */
		return true;
	}
	rb_commit(&pcb->rcvbuf, s->len);
	pcb->rcv_nxt += (uint32_t)s->len;
	/* Filling a hole, or data behind a hole, is acknowledged at once
	 * (RFC 5681 4.2); otherwise every second segment (RFC 1122). */
	if (tcp_ooo_absorb(pcb) || pcb->nooo || ++pcb->ack_pending >= 2)
		pcb->ack_now = true;
	else
		tcp_delack(pcb);
	tcp_notify(pcb);
	return true;
}

/* "eighth, check the FIN bit". */
static void process_fin(struct tcp_pcb *pcb, const struct seg *s)
{
	if (pcb->fin_rcvd) {
		pcb->ack_now = true;
		if (pcb->state == TCP_TIME_WAIT)
			tcp_timer_set(pcb, TCP_TIMER_TIME_WAIT,
			              2 * TCP_MSL_NS);
		return;
	}
	if (!takes_data(pcb->state) ||
	    s->seq + (uint32_t)s->len != pcb->rcv_nxt)
		return;
	/* LAB tcp.state BEGIN: the peer's FIN, in order: it takes one
	 * sequence number; acknowledge it at once; ESTABLISHED goes to
	 * CLOSE-WAIT, FIN-WAIT-1 to CLOSING, FIN-WAIT-2 to TIME-WAIT; tell
	 * the user (a read now returns 0 at the end of the data). */
	pcb->rcv_nxt++;
	pcb->fin_rcvd = true;
	pcb->ack_now = true;
	switch (pcb->state) {
	case TCP_ESTABLISHED:
		tcp_set_state(pcb, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT_1:
		tcp_set_state(pcb, TCP_CLOSING);
		break;
	default: /* FIN-WAIT-2 */
		tcp_enter_time_wait(pcb);
		break;
	}
	tcp_notify(pcb);
	/* LAB tcp.state END: ul_panic("lab tcp: process_fin's state changes are not written yet"); */
}

static void synchronized_input(struct tcp_pcb *pcb, struct seg *s)
{
	uint32_t wnd = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt)
	                       ? pcb->rcv_adv - pcb->rcv_nxt : 0;
	if (!acceptable(pcb, s, wnd)) {
		if (s->flags & TCP_RST)
			return;
		if (pcb->state == TCP_SYN_RCVD) {
			tcp_retransmit_first(pcb);
			return;
		}
		pcb->ack_now = true;
		tcp_output(pcb);
		return;
	}
	if (s->flags & TCP_RST) {
		/* RFC 5961 3.2: only an exact hit resets; a guess inside the
		 * window gets a challenge ACK the real peer would answer. */
		if (s->seq == pcb->rcv_nxt) {
			reset_received(pcb);
		} else {
			pcb->ack_now = true;
			tcp_output(pcb);
		}
		return;
	}
	if (s->flags & TCP_SYN) {
		/* RFC 5961 4.2: a SYN on a synchronized connection */
		pcb->ack_now = true;
		tcp_output(pcb);
		return;
	}
	if (!(s->flags & TCP_ACK) || !process_ack(pcb, s))
		return;
	bool had_data = s->len > 0;
	trim(pcb, s);
	if (had_data && s->len == 0)
		pcb->ack_now = true; /* nothing of it fits: say where we are */
	if (!process_data(pcb, s))
		return;
	if (s->flags & TCP_FIN)
		process_fin(pcb, s);
	tcp_output(pcb);
}

void tcp_input(const struct ip_meta *m, struct pbuf *p)
{
	struct seg s;
	NET_COUNT(tcp_in);
	if (m->broadcast || !parse(m, p, &s)) {
		NET_COUNT(tcp_drop);
		pbuf_free(p);
		return;
	}
	struct tcp_pcb *pcb = tcp_lookup(s.dst, s.dport, s.src, s.sport);
	/* A new SYN for a connection in TIME-WAIT starts over (RFC 9293
	 * 3.6.1 allows it when its sequence number is higher). */
	if (pcb && pcb->state == TCP_TIME_WAIT && pcb->closed &&
	    (s.flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN &&
	    SEQ_GT(s.seq, pcb->rcv_nxt)) {
		tcp_release(pcb);
		pcb = NULL;
	}
	if (!pcb) {
		struct tcp_pcb *l = tcp_find_listener(s.dst, s.dport);
		if (l)
			listen_input(l, &s);
		else
			reply_rst(&s);
	} else if (pcb->state == TCP_CLOSED) {
		reply_rst(&s);
	} else if (pcb->state == TCP_SYN_SENT) {
		syn_sent_input(pcb, &s);
	} else {
		synchronized_input(pcb, &s);
	}
	pbuf_free(p);
}
