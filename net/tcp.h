/* TCP (RFC 9293) with RFC 6298 retransmission timing, congestion control
 * and loss recovery (RFC 5681, 3042, 5827, 6582, and SACK per RFC 2018
 * and 6675), RFC 7323 window scaling, RFC 5961 reset and SYN checks, and
 * RFC 6528 initial sequence numbers. Protocol functions never block: the
 * socket layer (sock_tcp.c) waits for the events they signal. */
#ifndef NET_TCP_H
#define NET_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unilab/timer.h>
#include "ip.h"
#include "pbuf.h"
#include "ringbuf.h"
#include "wire.h"

#define TCP_MS (1000ull * 1000)
#define TCP_BUF_DEFAULT (256u * 1024) /* send and receive buffers */
#define TCP_BUF_MIN 2048u
#define TCP_BUF_MAX (8u * 1024 * 1024)
#define TCP_MSS_DEFAULT 536  /* when the peer sends no MSS option */
#define TCP_MSS_MIN 88       /* tiny peer MSS would make tiny segments */
#define TCP_RTO_INITIAL (1000 * TCP_MS)  /* RFC 6298 2.1 */
#define TCP_RTO_MIN (200 * TCP_MS) /* RFC 6298 says 1 s; LANs want less */
#define TCP_RTO_MAX (60000 * TCP_MS)
#define TCP_CLOCK_G TCP_MS   /* the clock granularity of RFC 6298 */
#define TCP_SYN_RETRIES 5    /* 1+2+4+8+16+32 s before connect gives up */
#define TCP_SYNACK_RETRIES 4
#define TCP_DATA_RETRIES 10
#define TCP_DELACK_NS (40 * TCP_MS)
#define TCP_MSL_NS (30000 * TCP_MS)
#define TCP_FIN_WAIT_2_NS (60000 * TCP_MS) /* for closed sockets only */
#define TCP_OOO_MAX 8        /* out-of-order ranges remembered */
#define TCP_SACK_BLOCKS 4    /* the most that fit in the option space */
#define TCP_SACK_RANGES 8    /* ranges of the peer's SACK scoreboard */
#define TCP_BACKLOG_MAX 1024
#define TCP_HALFOPEN_MAX 256 /* per listener; then SYN cookies */
#define TCP_PCBS_MAX 8192    /* every connection, whatever its state */
#define TCP_TIME_WAIT_MAX 1024

#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

enum tcp_state {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RCVD,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
};

/* What the one retransmission timer is timing now. */
enum tcp_timer_mode {
	TCP_TIMER_RTO,       /* data, SYN or FIN unacknowledged */
	TCP_TIMER_PERSIST,   /* zero window: probe it */
	TCP_TIMER_TIME_WAIT, /* 2 MSL */
	TCP_TIMER_FIN_WAIT_2,
};

struct tcp_range {
	uint32_t start, end; /* [start, end) in sequence space */
};

struct tcp_pcb {
	enum tcp_state state;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	struct tcp_pcb *hnext;               /* hash chain */
	struct tcp_pcb *all_next, *all_prev; /* every pcb */

	/* A passive child belongs to its listener until accepted; the
	 * listener keeps half-open children and established ones apart. */
	struct tcp_pcb *listener;
	struct tcp_pcb *qnext;
	struct tcp_pcb *syn_q, *accept_q;
	unsigned syn_len, accept_len, backlog;

	/* send sequence space (RFC 9293 3.3.1); snd_max is the highest
	 * sequence number sent, snd_nxt moves back on a timeout */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2;
	uint32_t snd_wnd, max_snd_wnd;
	uint16_t mss; /* largest segment payload we send */
	/* Black-hole fallback (tcp_pmtu.c): the MSS before it, and snd_una
	 * then, while it is on trial; whether it was tried and undone. */
	uint16_t probe_mss;
	uint32_t probe_una;
	bool probe_failed;
	uint8_t snd_wscale, rcv_wscale;
	bool ws_ok;   /* both sides use window scaling (RFC 7323 2.2) */
	bool sack_ok; /* the peer takes SACK blocks (RFC 2018); ours are
	                 only ever sent, the peer's are not used */
	uint32_t cwnd, ssthresh, recover;
	unsigned dupacks;
	bool in_recovery;
	uint32_t rtx_next; /* recovery: resend holes from here on */
	struct tcp_range sacked[TCP_SACK_RANGES]; /* above snd_una */
	unsigned nsacked;
	struct ringbuf sndbuf; /* bytes from snd_una on */
	bool fin_queued;       /* a FIN follows the last byte of sndbuf */

	/* receive sequence space */
	uint32_t irs, rcv_nxt, rcv_adv; /* rcv_adv: right edge offered */
	struct ringbuf rcvbuf;          /* unread bytes, then out-of-order */
	struct tcp_range ooo[TCP_OOO_MAX];
	unsigned nooo;
	uint32_t ooo_recent; /* in the range to report first (RFC 2018 4) */
	bool fin_rcvd;

	/* timers, RFC 6298 state */
	struct ul_timer rtx_timer;
	enum tcp_timer_mode rtx_mode;
	unsigned retries;
	struct ul_timer ack_timer;
	unsigned ack_pending; /* segments received, not yet acknowledged */
	bool ack_now;
	uint64_t srtt, rttvar, rto; /* ns; srtt 0: no sample yet */
	bool timing;
	uint32_t rtt_seq;
	uint64_t rtt_start;

	bool nodelay;
	bool reuse;
	bool closed;  /* the app is done with it: free it when it ends */
	int error;    /* pending error for the app (-UL_ECONNRESET ...) */
	uint64_t born;
	void (*notify)(void *owner);
	void *owner;
};

/* What tcp_events reports. */
#define TCP_EV_READ 0x1  /* data, end of stream, or a connection to accept */
#define TCP_EV_WRITE 0x2 /* connected with room in the send buffer */
#define TCP_EV_ERR 0x4
#define TCP_EV_HUP 0x8

/* The calls sockets make: tcp_user.c, but for tcp_new, tcp_accept and
 * tcp_count, which live with the connection table in tcp_pcb.c. */
struct tcp_pcb *tcp_new(void);
int tcp_bind(struct tcp_pcb *pcb, uint32_t addr, uint16_t port);
int tcp_listen(struct tcp_pcb *pcb, unsigned backlog);
/* The oldest established child, taken off its listener; NULL: none. */
struct tcp_pcb *tcp_accept(struct tcp_pcb *listener);
int tcp_connect(struct tcp_pcb *pcb, uint32_t addr, uint16_t port);
long tcp_write(struct tcp_pcb *pcb, const void *data, size_t len);
long tcp_read(struct tcp_pcb *pcb, void *buf, size_t len, bool peek);
int tcp_shutdown(struct tcp_pcb *pcb);
void tcp_close(struct tcp_pcb *pcb);
void tcp_abort(struct tcp_pcb *pcb);
unsigned tcp_events(const struct tcp_pcb *pcb);
void tcp_set_buffers(struct tcp_pcb *pcb, size_t rcv, size_t snd);
unsigned tcp_count(void); /* pcbs alive, for tests */

/* tcp_pcb.c: internal to TCP */
struct tcp_pcb *tcp_lookup(uint32_t laddr, uint16_t lport, uint32_t raddr,
                           uint16_t rport);
struct tcp_pcb *tcp_find_listener(uint32_t laddr, uint16_t lport);
struct tcp_pcb *tcp_new_child(struct tcp_pcb *listener, uint32_t laddr,
                              uint16_t lport, uint32_t raddr,
                              uint16_t rport);
void tcp_listener_add(struct tcp_pcb *pcb);

/* tcp_pmtu.c: path-MTU discovery. An ICMP "fragmentation needed" for
 * the connection, about the segment starting at seq, with the next hop's
 * MTU (already checked); and the hook rto_expired calls after counting a
 * timeout, for black holes. */
void tcp_pmtu_icmp(uint32_t laddr, uint16_t lport, uint32_t raddr,
                   uint16_t rport, uint32_t seq, uint32_t mtu);
void tcp_pmtu_timeout(struct tcp_pcb *pcb);

/* tcp_cookie.c: SYN cookies. The initial sequence number for a SYN-ACK
 * sent without keeping state, from the connection, the peer's initial
 * sequence number and its MSS; and, given the ACK's number less one,
 * the MSS it remembers, or 0 when it is not a cookie of ours (or too
 * old: over 64..128 s). */
uint32_t tcp_cookie_make(uint32_t laddr, uint16_t lport, uint32_t raddr,
                         uint16_t rport, uint32_t isn, uint16_t mss);
uint16_t tcp_cookie_check(uint32_t laddr, uint16_t lport, uint32_t raddr,
                          uint16_t rport, uint32_t isn, uint32_t cookie);
void tcp_connection_add(struct tcp_pcb *pcb); /* 4-tuple complete */
/* Free pcb now, whatever its state (timers, buffers, table entries). */
void tcp_release(struct tcp_pcb *pcb);
/* Whether pcb may not take port on addr (RFC 9293 leaves the rules to
 * the host; these are the BSD ones, SO_REUSEADDR included). */
int tcp_port_conflict(const struct tcp_pcb *pcb, uint32_t addr,
                      uint16_t port, bool reuse);
void tcp_set_state(struct tcp_pcb *pcb, enum tcp_state state);
/* The connection is over: report err (0 for an orderly end) and free the
 * pcb unless an app still holds it. */
void tcp_finish(struct tcp_pcb *pcb, int err);
void tcp_notify(struct tcp_pcb *pcb);
/* A child finished its handshake: to the accept queue, or false when the
 * queue is full (the handshake is then left to be retried). */
bool tcp_child_established(struct tcp_pcb *pcb);
uint32_t tcp_new_iss(uint32_t laddr, uint16_t lport, uint32_t raddr,
                     uint16_t rport);
void tcp_enter_time_wait(struct tcp_pcb *pcb);

/* tcp_input.c */
void tcp_input(const struct ip_meta *m, struct pbuf *p);

/* tcp_output.c */
void tcp_output(struct tcp_pcb *pcb);
/* Send one segment of the connection: len bytes of sndbuf from seq on
 * (seq at or after snd_una), with flags. */
void tcp_emit(struct tcp_pcb *pcb, uint32_t seq, size_t len, uint8_t flags);
void tcp_send_ack(struct tcp_pcb *pcb);
void tcp_send_rst(struct tcp_pcb *pcb);
/* A reset for a segment that has no connection (RFC 9293 3.10.7.1). */
void tcp_reply_rst(uint32_t laddr, uint16_t lport, uint32_t raddr,
                   uint16_t rport, uint32_t seq, uint32_t ack, bool has_ack,
                   size_t seg_len);
/* Retransmit the first unacknowledged segment (SYN, data or FIN);
 * returns the sequence number just past it. */
uint32_t tcp_retransmit_first(struct tcp_pcb *pcb);
/* The window to offer now (unscaled bytes), which never shrinks the
 * right edge offered before. */
uint32_t tcp_rcv_window(const struct tcp_pcb *pcb);
/* The smallest shift that lets a window of limit bytes be offered. */
uint8_t tcp_wscale_for(size_t limit);
/* After the app read: offer the freed room if it is worth a segment. */
void tcp_window_update(struct tcp_pcb *pcb);

/* tcp_range.c: add [start, end) to a sorted, disjoint set of at most
 * max ranges. */
void tcp_range_add(struct tcp_range *r, unsigned *count, unsigned max,
                   uint32_t start, uint32_t end);

/* tcp_ooo.c: the receiver's out-of-order ranges and its SACK blocks */
void tcp_ooo_add(struct tcp_pcb *pcb, uint32_t start, uint32_t end);
/* Count in the out-of-order bytes that now follow RCV.NXT: whether any. */
bool tcp_ooo_absorb(struct tcp_pcb *pcb);
size_t tcp_ooo_option_length(const struct tcp_pcb *pcb);
size_t tcp_ooo_option(const struct tcp_pcb *pcb, uint8_t *o);

/* tcp_sack.c: the sender's scoreboard of the peer's SACK blocks */
void tcp_sack_update(struct tcp_pcb *pcb, const uint8_t *blocks,
                     unsigned n);
void tcp_sack_prune(struct tcp_pcb *pcb); /* drop what SND.UNA passed */
void tcp_sack_clear(struct tcp_pcb *pcb);
/* Whether SACKs show SND.UNA lost, with thresh as DupThresh. */
bool tcp_sack_first_lost(const struct tcp_pcb *pcb, unsigned thresh);
/* The first hole at or after from, below the highest SACKed byte: at
 * most one segment of it in *seq, *len. false: none. */
bool tcp_sack_next_hole(const struct tcp_pcb *pcb, uint32_t from,
                        uint32_t *seq, size_t *len);

/* tcp_cc.c: congestion control and loss recovery */
void tcp_cc_init(struct tcp_pcb *pcb);
/* cwnd, plus what limited transmit allows on the first two duplicates */
uint32_t tcp_cc_window(const struct tcp_pcb *pcb);
void tcp_cc_ack(struct tcp_pcb *pcb, uint32_t acked); /* after SND.UNA moved */
void tcp_cc_dupack(struct tcp_pcb *pcb);
void tcp_cc_sack(struct tcp_pcb *pcb); /* after new SACK information */
void tcp_cc_timeout(struct tcp_pcb *pcb);

/* tcp_timer.c */
void tcp_timers_init(struct tcp_pcb *pcb);
void tcp_timer_set(struct tcp_pcb *pcb, enum tcp_timer_mode mode,
                   uint64_t delay);
void tcp_timer_stop(struct tcp_pcb *pcb);
/* Arm the retransmission timer unless it is already timing something. */
void tcp_timer_rto_ensure(struct tcp_pcb *pcb);
void tcp_rtt_sample(struct tcp_pcb *pcb, uint64_t rtt);
void tcp_delack(struct tcp_pcb *pcb);

#endif
