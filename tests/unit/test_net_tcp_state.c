/* Unit tests of the TCP state machine (net/tcp_*.c) with crafted
 * segments: both opens, both closes, TIME-WAIT, resets (RFC 9293 and the
 * RFC 5961 checks), the accept backlog, the half-open bound and SYN
 * cookies (RFC 4987). */
#include "run_suite.h"
#include "test_net_harness.h"

#include <unilab/errno.h>
#include <unilab/socket.h>
#include "tcp.h"

#define PEER_PORT 40000
#define OUR_PORT 80
#define PEER_ISS 1000000u

static const uint8_t syn_opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7}; /* 1460, ws 7 */

static void setup(void)
{
	harness_init(true);
	learn_peer();
}

static int listen_on(uint16_t port, int backlog)
{
	int fd = ul_socket(UL_SOCK_STREAM);
	ck_assert_int_ge(fd, 0);
	struct ul_sockaddr a = {0, port};
	ck_assert_int_eq(ul_bind(fd, &a), 0);
	ck_assert_int_eq(ul_listen(fd, backlog), 0);
	ck_assert_int_eq(ul_setsockopt(fd, UL_SO_NONBLOCK, 1), 0);
	return fd;
}

static void peer_syn(uint16_t sport, uint32_t seq)
{
	struct tcp_spec s = {.sport = sport, .dport = OUR_PORT, .seq = seq,
	                     .flags = TCP_SYN, .wnd = 65535,
	                     .opts = syn_opts, .optlen = sizeof syn_opts};
	inject_tcp(&s);
}

static void peer_send(uint16_t sport, uint32_t seq, uint32_t ack,
                      uint8_t flags, const char *data)
{
	struct tcp_spec s = {.sport = sport, .dport = OUR_PORT, .seq = seq,
	                     .ack = ack, .flags = flags, .wnd = 1024,
	                     .data = data, .len = data ? strlen(data) : 0};
	inject_tcp(&s);
}

/* A connection accepted on lfd: peer_nxt is the peer's next sequence
 * number, our_nxt ours. */
static uint32_t peer_nxt, our_nxt;

static int handshake(int lfd, uint16_t sport)
{
	struct parsed p;
	peer_syn(sport, PEER_ISS);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_SYN | TCP_ACK);
	ck_assert_uint_eq(p.ack, PEER_ISS + 1);
	our_nxt = p.seq + 1;
	peer_nxt = PEER_ISS + 1;
	peer_send(sport, peer_nxt, our_nxt, TCP_ACK, NULL);
	ck_assert_uint_eq(frames_sent(), 0);
	struct ul_sockaddr peer;
	int fd = ul_accept(lfd, &peer);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(peer.addr, PEER_IP);
	ck_assert_uint_eq(peer.port, sport);
	return fd;
}

static struct tcp_pcb *only_conn(void)
{
	return tcp_lookup(OUR_IP, OUR_PORT, PEER_IP, PEER_PORT);
}

START_TEST(passive_open_answers_syn_with_options)
{
	int lfd = listen_on(OUR_PORT, 8);
	struct parsed p;
	peer_syn(PEER_PORT, PEER_ISS);
	expect_tcp(&p);
	ck_assert_uint_eq(p.src, OUR_IP);
	ck_assert_uint_eq(p.dst, PEER_IP);
	ck_assert_uint_eq(p.sport, OUR_PORT);
	ck_assert_uint_eq(p.dport, PEER_PORT);
	ck_assert_uint_eq(p.flags, TCP_SYN | TCP_ACK);
	ck_assert_uint_eq(p.ack, PEER_ISS + 1);
	ck_assert_int_eq(p.mss, 1460);
	ck_assert_int_ge(p.wscale, 1); /* 256 KiB needs scaling */
	ck_assert_int_eq(ul_accept(lfd, NULL), -UL_EAGAIN);
	peer_send(PEER_PORT, PEER_ISS + 1, p.seq + 1, TCP_ACK, NULL);
	int fd = ul_accept(lfd, NULL);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(only_conn()->state, TCP_ESTABLISHED);
	ck_assert_uint_eq(only_conn()->snd_wscale, 7);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_passive_opens, 1);
}
END_TEST

START_TEST(syn_without_options_gets_no_window_scaling)
{
	int lfd = listen_on(OUR_PORT, 8);
	struct tcp_spec s = {.sport = PEER_PORT, .dport = OUR_PORT,
	                     .seq = PEER_ISS, .flags = TCP_SYN, .wnd = 8192};
	inject_tcp(&s);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_int_eq(p.wscale, -1);
	ck_assert_int_eq(p.mss, 1460);
	peer_send(PEER_PORT, PEER_ISS + 1, p.seq + 1, TCP_ACK, NULL);
	int fd = ul_accept(lfd, NULL);
	ck_assert_int_ge(fd, 0);
	/* No MSS option: 536 bytes a segment (RFC 9293 3.7.1). */
	static char buf[1000];
	ck_assert_int_eq(ul_send(fd, buf, sizeof buf, 0), sizeof buf);
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 536);
	ck_assert_uint_eq(p.wnd, 65535); /* unscaled, capped */
}
END_TEST

START_TEST(active_open_completes_on_syn_ack)
{
	int fd = ul_socket(UL_SOCK_STREAM);
	ul_setsockopt(fd, UL_SO_NONBLOCK, 1);
	struct ul_sockaddr to = {PEER_IP, 8080};
	ck_assert_int_eq(ul_connect(fd, &to), -UL_EINPROGRESS);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_SYN);
	ck_assert_int_eq(p.mss, 1460);
	ck_assert_int_ge(p.wscale, 0);
	ck_assert_uint_ge(p.sport, 49152);
	struct ul_pollfd pf = {fd, UL_POLLOUT, 0};
	ck_assert_int_eq(ul_poll(&pf, 1, 0), 0);
	struct tcp_spec s = {.sport = 8080, .dport = p.sport, .seq = 5000,
	                     .ack = p.seq + 1, .flags = TCP_SYN | TCP_ACK,
	                     .wnd = 65535, .opts = syn_opts,
	                     .optlen = sizeof syn_opts};
	inject_tcp(&s);
	struct parsed a;
	expect_tcp(&a);
	ck_assert_uint_eq(a.flags, TCP_ACK);
	ck_assert_uint_eq(a.ack, 5001);
	ck_assert_uint_eq(a.seq, p.seq + 1);
	ck_assert_int_eq(ul_poll(&pf, 1, 0), 1);
	ck_assert_int_eq(pf.revents, UL_POLLOUT);
	ck_assert_int_eq(ul_connect(fd, &to), 0);
}
END_TEST

START_TEST(reset_answering_syn_refuses_connect)
{
	int fd = ul_socket(UL_SOCK_STREAM);
	ul_setsockopt(fd, UL_SO_NONBLOCK, 1);
	struct ul_sockaddr to = {PEER_IP, 8080};
	ck_assert_int_eq(ul_connect(fd, &to), -UL_EINPROGRESS);
	struct parsed p;
	expect_tcp(&p);
	/* A reset whose ACK does not cover our SYN is not believed. */
	struct tcp_spec bad = {.sport = 8080, .dport = p.sport, .seq = 0,
	                       .ack = p.seq + 7, .flags = TCP_RST | TCP_ACK};
	inject_tcp(&bad);
	ck_assert_int_eq(tcp_lookup(OUR_IP, p.sport, PEER_IP, 8080)->state,
	                 TCP_SYN_SENT);
	struct tcp_spec rst = {.sport = 8080, .dport = p.sport, .seq = 0,
	                       .ack = p.seq + 1, .flags = TCP_RST | TCP_ACK};
	inject_tcp(&rst);
	struct ul_pollfd pf = {fd, UL_POLLOUT, 0};
	ck_assert_int_eq(ul_poll(&pf, 1, 0), 1);
	ck_assert(pf.revents & UL_POLLERR);
	long err;
	ck_assert_int_eq(ul_getsockopt(fd, UL_SO_ERROR, &err), 0);
	ck_assert_int_eq(err, -UL_ECONNREFUSED);
}
END_TEST

START_TEST(closed_port_answers_with_reset)
{
	struct parsed p;
	peer_syn(PEER_PORT, PEER_ISS); /* nobody listens on 80 */
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_RST | TCP_ACK);
	ck_assert_uint_eq(p.seq, 0);
	ck_assert_uint_eq(p.ack, PEER_ISS + 1);
	/* With ACK set, the reset takes its sequence number from it. */
	peer_send(PEER_PORT, 77, 123456, TCP_ACK, "xyz");
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_RST);
	ck_assert_uint_eq(p.seq, 123456);
	/* A reset is never answered. */
	peer_send(PEER_PORT, 77, 0, TCP_RST, NULL);
	ck_assert_uint_eq(frames_sent(), 0);
}
END_TEST

START_TEST(bad_checksum_is_dropped_and_counted)
{
	int lfd = listen_on(OUR_PORT, 8);
	(void)lfd;
	uint8_t f[FRAME_MAX];
	struct tcp_spec s = {.sport = PEER_PORT, .dport = OUR_PORT,
	                     .seq = PEER_ISS, .flags = TCP_SYN, .wnd = 100};
	size_t n = make_tcp(f, &s);
	f[n - 1] ^= 0x40; /* the checksum field is the last word here */
	f[n - 2] ^= 0x01;
	inject(f, n);
	ck_assert_uint_eq(frames_sent(), 0);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_csum_err, 1);
	ck_assert_uint_eq(tcp_count(), 1); /* the listener only */
}
END_TEST

START_TEST(passive_close_goes_through_last_ack)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	struct parsed p;
	peer_send(PEER_PORT, peer_nxt, our_nxt, TCP_FIN | TCP_ACK, NULL);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_ACK);
	ck_assert_uint_eq(p.ack, peer_nxt + 1);
	ck_assert_int_eq(only_conn()->state, TCP_CLOSE_WAIT);
	char buf[8];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 0);
	unsigned before = tcp_count();
	ck_assert_int_eq(ul_close(fd), 0);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_FIN | TCP_ACK);
	ck_assert_uint_eq(p.seq, our_nxt);
	ck_assert_int_eq(only_conn()->state, TCP_LAST_ACK);
	peer_send(PEER_PORT, peer_nxt + 1, our_nxt + 1, TCP_ACK, NULL);
	ck_assert_ptr_null(only_conn());
	ck_assert_uint_eq(tcp_count(), before - 1);
}
END_TEST

START_TEST(active_close_waits_in_time_wait)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	struct parsed p;
	ck_assert_int_eq(ul_close(fd), 0);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_FIN | TCP_ACK);
	ck_assert_int_eq(only_conn()->state, TCP_FIN_WAIT_1);
	peer_send(PEER_PORT, peer_nxt, our_nxt + 1, TCP_ACK, NULL);
	ck_assert_int_eq(only_conn()->state, TCP_FIN_WAIT_2);
	peer_send(PEER_PORT, peer_nxt, our_nxt + 1, TCP_FIN | TCP_ACK, NULL);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_ACK);
	ck_assert_uint_eq(p.ack, peer_nxt + 1);
	ck_assert_int_eq(only_conn()->state, TCP_TIME_WAIT);
	/* A retransmitted FIN is acknowledged again. */
	peer_send(PEER_PORT, peer_nxt, our_nxt + 1, TCP_FIN | TCP_ACK, NULL);
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt + 1);
	advance(2 * TCP_MSL_NS - 1000);
	ck_assert_ptr_nonnull(only_conn());
	advance(2000);
	ck_assert_ptr_null(only_conn());
}
END_TEST

START_TEST(simultaneous_close_goes_through_closing)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	struct parsed p;
	ck_assert_int_eq(ul_shutdown(fd, UL_SHUT_WR), 0);
	expect_tcp(&p);
	ck_assert(p.flags & TCP_FIN);
	/* The peer's FIN crosses ours: it does not acknowledge it yet. */
	peer_send(PEER_PORT, peer_nxt, our_nxt, TCP_FIN | TCP_ACK, NULL);
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt + 1);
	ck_assert_int_eq(only_conn()->state, TCP_CLOSING);
	peer_send(PEER_PORT, peer_nxt + 1, our_nxt + 1, TCP_ACK, NULL);
	ck_assert_int_eq(only_conn()->state, TCP_TIME_WAIT);
	/* The app still holds it: after 2 MSL it is closed, not gone. */
	advance(2 * TCP_MSL_NS + 1);
	ck_assert_int_eq(only_conn()->state, TCP_CLOSED);
	char c;
	ck_assert_int_eq(ul_recv(fd, &c, 1, UL_MSG_DONTWAIT), 0);
	ck_assert_int_eq(ul_close(fd), 0);
	ck_assert_ptr_null(only_conn());
}
END_TEST

START_TEST(exact_reset_ends_the_connection)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	peer_send(PEER_PORT, peer_nxt, 0, TCP_RST, NULL);
	ck_assert_uint_eq(frames_sent(), 0);
	char c;
	ck_assert_int_eq(ul_recv(fd, &c, 1, UL_MSG_DONTWAIT), -UL_ECONNRESET);
	ck_assert_int_eq(ul_send(fd, "x", 1, 0), -UL_ENOTCONN);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_conn_reset, 1);
}
END_TEST

START_TEST(reset_inside_window_gets_challenge_ack)
{
	int lfd = listen_on(OUR_PORT, 8);
	handshake(lfd, PEER_PORT);
	struct parsed p;
	peer_send(PEER_PORT, peer_nxt + 100, 0, TCP_RST, NULL);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_ACK);
	ck_assert_uint_eq(p.ack, peer_nxt);
	ck_assert_int_eq(only_conn()->state, TCP_ESTABLISHED);
	/* Outside the window: ignored, no answer at all. */
	peer_send(PEER_PORT, peer_nxt + 0x40000000u, 0, TCP_RST, NULL);
	ck_assert_uint_eq(frames_sent(), 0);
	ck_assert_int_eq(only_conn()->state, TCP_ESTABLISHED);
}
END_TEST

START_TEST(syn_on_established_gets_challenge_ack)
{
	int lfd = listen_on(OUR_PORT, 8);
	handshake(lfd, PEER_PORT);
	struct parsed p;
	peer_send(PEER_PORT, peer_nxt + 5, 0, TCP_SYN, NULL);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_ACK);
	ck_assert_uint_eq(p.ack, peer_nxt);
	ck_assert_int_eq(only_conn()->state, TCP_ESTABLISHED);
}
END_TEST

START_TEST(ack_for_unsent_data_is_answered_and_dropped)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	struct parsed p;
	peer_send(PEER_PORT, peer_nxt, our_nxt + 1000, TCP_ACK, "data");
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt); /* the data was not taken */
	char buf[8];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT),
	                 -UL_EAGAIN);
}
END_TEST

START_TEST(close_with_unread_data_resets)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	struct parsed p;
	peer_send(PEER_PORT, peer_nxt, our_nxt, TCP_ACK | TCP_PSH, "unread");
	advance(TCP_DELACK_NS);
	clear_frames();
	ck_assert_int_eq(ul_close(fd), 0);
	expect_tcp(&p);
	ck_assert(p.flags & TCP_RST);
	ck_assert_uint_eq(p.seq, our_nxt);
	ck_assert_ptr_null(only_conn());
}
END_TEST

START_TEST(data_for_a_closed_socket_resets)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	struct parsed p;
	ck_assert_int_eq(ul_close(fd), 0);
	expect_tcp(&p); /* our FIN */
	peer_send(PEER_PORT, peer_nxt, our_nxt + 1, TCP_ACK, NULL);
	ck_assert_int_eq(only_conn()->state, TCP_FIN_WAIT_2);
	peer_send(PEER_PORT, peer_nxt, our_nxt + 1, TCP_ACK, "late");
	expect_tcp(&p);
	ck_assert(p.flags & TCP_RST);
	ck_assert_ptr_null(only_conn());
}
END_TEST

START_TEST(orphan_fin_wait_2_times_out)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	ck_assert_int_eq(ul_close(fd), 0);
	peer_send(PEER_PORT, peer_nxt, our_nxt + 1, TCP_ACK, NULL);
	ck_assert_int_eq(only_conn()->state, TCP_FIN_WAIT_2);
	advance(TCP_FIN_WAIT_2_NS + 1);
	ck_assert_ptr_null(only_conn());
}
END_TEST

START_TEST(accept_backlog_is_bounded)
{
	int lfd = listen_on(OUR_PORT, 2);
	for (uint16_t i = 0; i < 3; i++) {
		struct parsed p;
		peer_syn((uint16_t)(PEER_PORT + i), PEER_ISS);
		if (i < 2) {
			expect_tcp(&p);
			peer_send((uint16_t)(PEER_PORT + i), PEER_ISS + 1,
			          p.seq + 1, TCP_ACK, NULL);
		}
	}
	/* The third SYN found the queue full and was dropped. */
	ck_assert_uint_eq(frames_sent(), 0);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_syn_dropped, 1);
	ck_assert_int_ge(ul_accept(lfd, NULL), 0);
	ck_assert_int_ge(ul_accept(lfd, NULL), 0);
	ck_assert_int_eq(ul_accept(lfd, NULL), -UL_EAGAIN);
}
END_TEST

START_TEST(full_accept_queue_leaves_handshake_pending)
{
	int lfd = listen_on(OUR_PORT, 1);
	struct parsed a, b;
	peer_syn(PEER_PORT, PEER_ISS);
	expect_tcp(&a);
	peer_syn(PEER_PORT + 1, PEER_ISS);
	expect_tcp(&b);
	peer_send(PEER_PORT, PEER_ISS + 1, a.seq + 1, TCP_ACK, NULL);
	/* The queue is full: the second ACK is as good as lost. */
	peer_send(PEER_PORT + 1, PEER_ISS + 1, b.seq + 1, TCP_ACK, NULL);
	ck_assert_int_eq(tcp_lookup(OUR_IP, OUR_PORT, PEER_IP,
	                            PEER_PORT + 1)->state, TCP_SYN_RCVD);
	ck_assert_int_ge(ul_accept(lfd, NULL), 0);
	peer_send(PEER_PORT + 1, PEER_ISS + 1, b.seq + 1, TCP_ACK, NULL);
	ck_assert_int_ge(ul_accept(lfd, NULL), 0);
}
END_TEST

/* 2 * TCP_HALFOPEN_MAX SYNs past a full half-open queue: each answered
 * with a cookie, none kept, none dropped. */
static void flood(void)
{
	for (unsigned i = 0; i < 3 * TCP_HALFOPEN_MAX; i++) {
		peer_syn((uint16_t)(1024 + i), PEER_ISS + i);
		ck_assert_uint_eq(frames_sent(), 1);
		clear_frames();
	}
	ck_assert_uint_le(tcp_count(), TCP_HALFOPEN_MAX + 1);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_syn_dropped, 0);
	ck_assert_uint_eq(st.tcp_cookies_sent, 2 * TCP_HALFOPEN_MAX);
}

START_TEST(syn_flood_answers_with_cookies)
{
	int lfd = listen_on(OUR_PORT, 16);
	flood();
	/* A real client gets through on a cookie: no window scaling, the
	 * MSS it asked for, data both ways. */
	struct parsed p;
	peer_syn(PEER_PORT, PEER_ISS);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_SYN | TCP_ACK);
	ck_assert_int_eq(p.wscale, -1);
	peer_send(PEER_PORT, PEER_ISS + 1, p.seq + 1, TCP_ACK, "hi");
	int fd = ul_accept(lfd, NULL);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(only_conn()->mss, 1460);
	char buf[4];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 2);
	ck_assert_int_eq(ul_send(fd, "ok", 2, 0), 2);
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, PEER_ISS + 3); /* and "hi" acknowledged */
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_cookies_ok, 1);
}
END_TEST

START_TEST(forged_or_stale_cookie_is_reset)
{
	listen_on(OUR_PORT, 16);
	flood();
	struct parsed p;
	peer_syn(PEER_PORT, PEER_ISS);
	expect_tcp(&p);
	/* An ACK that guesses: a reset, and no connection. */
	peer_send(PEER_PORT, PEER_ISS + 1, p.seq + 2, TCP_ACK, NULL);
	struct parsed r;
	expect_tcp(&r);
	ck_assert_uint_eq(r.flags, TCP_RST);
	ck_assert_ptr_null(only_conn());
	/* The right number, after the cookie's two minutes at most. */
	for (unsigned sec = 0; sec < 129; sec++) {
		advance(1000ull * 1000 * 1000);
		clear_frames(); /* the flood's half-open SYN-ACKs, again */
	}
	learn_peer(); /* its ARP entry is long gone */
	clear_frames();
	peer_send(PEER_PORT, PEER_ISS + 1, p.seq + 1, TCP_ACK, NULL);
	expect_tcp(&r);
	ck_assert_uint_eq(r.flags, TCP_RST);
	ck_assert_ptr_null(only_conn());
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_cookies_ok, 0);
}
END_TEST

START_TEST(half_open_connection_gives_up)
{
	int lfd = listen_on(OUR_PORT, 8);
	(void)lfd;
	struct parsed p;
	peer_syn(PEER_PORT, PEER_ISS);
	expect_tcp(&p);
	uint32_t iss = p.seq;
	advance(TCP_RTO_INITIAL);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_SYN | TCP_ACK);
	ck_assert_uint_eq(p.seq, iss);
	advance(120 * UL_S);
	/* The rest of the retries, then silence (no reset for a peer that
	 * never finished its handshake). */
	ck_assert_uint_eq(drain_tcp(), TCP_SYNACK_RETRIES - 1);
	ck_assert_ptr_null(only_conn());
	ck_assert_uint_eq(tcp_count(), 1);
}
END_TEST

START_TEST(connect_times_out_after_syn_retries)
{
	int fd = ul_socket(UL_SOCK_STREAM);
	ul_setsockopt(fd, UL_SO_NONBLOCK, 1);
	struct ul_sockaddr to = {PEER_IP, 8080};
	ck_assert_int_eq(ul_connect(fd, &to), -UL_EINPROGRESS);
	struct parsed p;
	expect_tcp(&p);
	uint64_t start = fake_now, at[TCP_SYN_RETRIES];
	for (int i = 0; i < TCP_SYN_RETRIES; i++) {
		while (frames_sent() == 0)
			advance(UL_MS);
		at[i] = fake_now - start;
		expect_tcp(&p);
		ck_assert_uint_eq(p.flags, TCP_SYN);
	}
	/* RFC 6298 5.5: the timer doubles each time, from 1 s. */
	for (int i = 0; i < TCP_SYN_RETRIES; i++)
		ck_assert_uint_eq(at[i] / UL_S, (2ull << i) - 1);
	advance(64 * UL_S);
	long err;
	ck_assert_int_eq(ul_getsockopt(fd, UL_SO_ERROR, &err), 0);
	ck_assert_int_eq(err, -UL_ETIMEDOUT);
}
END_TEST

START_TEST(new_syn_reuses_time_wait_connection)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	struct parsed p;
	ck_assert_int_eq(ul_close(fd), 0);
	expect_tcp(&p);
	peer_send(PEER_PORT, peer_nxt, our_nxt + 1, TCP_FIN | TCP_ACK, NULL);
	expect_tcp(&p);
	ck_assert_int_eq(only_conn()->state, TCP_TIME_WAIT);
	peer_syn(PEER_PORT, peer_nxt + 100000);
	expect_tcp(&p);
	ck_assert_uint_eq(p.flags, TCP_SYN | TCP_ACK);
	ck_assert_uint_eq(p.ack, peer_nxt + 100001);
	ck_assert_int_eq(only_conn()->state, TCP_SYN_RCVD);
}
END_TEST

START_TEST(bind_conflicts_are_refused)
{
	int a = listen_on(OUR_PORT, 1);
	(void)a;
	int b = ul_socket(UL_SOCK_STREAM);
	struct ul_sockaddr addr = {0, OUR_PORT};
	ck_assert_int_eq(ul_bind(b, &addr), -UL_EADDRINUSE);
	/* Not even with SO_REUSEADDR while someone listens. */
	ul_setsockopt(b, UL_SO_REUSEADDR, 1);
	ck_assert_int_eq(ul_bind(b, &addr), -UL_EADDRINUSE);
	struct ul_sockaddr other = {UL_IP(10, 9, 9, 9), 81};
	int c = ul_socket(UL_SOCK_STREAM);
	ck_assert_int_eq(ul_bind(c, &other), -UL_EINVAL);
}
END_TEST

START_TEST(reuseaddr_binds_over_time_wait)
{
	int lfd = listen_on(OUR_PORT, 8);
	int fd = handshake(lfd, PEER_PORT);
	struct parsed p;
	ck_assert_int_eq(ul_close(fd), 0);
	expect_tcp(&p);
	peer_send(PEER_PORT, peer_nxt, our_nxt + 1, TCP_FIN | TCP_ACK, NULL);
	ck_assert_int_eq(only_conn()->state, TCP_TIME_WAIT);
	ck_assert_int_eq(ul_close(lfd), 0);
	int b = ul_socket(UL_SOCK_STREAM);
	struct ul_sockaddr addr = {0, OUR_PORT};
	ck_assert_int_eq(ul_bind(b, &addr), -UL_EADDRINUSE);
	ck_assert_int_eq(ul_setsockopt(b, UL_SO_REUSEADDR, 1), 0);
	ck_assert_int_eq(ul_bind(b, &addr), 0);
	ck_assert_int_eq(ul_listen(b, 1), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("net_tcp_state");
	TCase *tc = tcase_create("tcp");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, passive_open_answers_syn_with_options);
	tcase_add_test(tc, syn_without_options_gets_no_window_scaling);
	tcase_add_test(tc, active_open_completes_on_syn_ack);
	tcase_add_test(tc, reset_answering_syn_refuses_connect);
	tcase_add_test(tc, closed_port_answers_with_reset);
	tcase_add_test(tc, bad_checksum_is_dropped_and_counted);
	tcase_add_test(tc, passive_close_goes_through_last_ack);
	tcase_add_test(tc, active_close_waits_in_time_wait);
	tcase_add_test(tc, simultaneous_close_goes_through_closing);
	tcase_add_test(tc, exact_reset_ends_the_connection);
	tcase_add_test(tc, reset_inside_window_gets_challenge_ack);
	tcase_add_test(tc, syn_on_established_gets_challenge_ack);
	tcase_add_test(tc, ack_for_unsent_data_is_answered_and_dropped);
	tcase_add_test(tc, close_with_unread_data_resets);
	tcase_add_test(tc, data_for_a_closed_socket_resets);
	tcase_add_test(tc, orphan_fin_wait_2_times_out);
	tcase_add_test(tc, accept_backlog_is_bounded);
	tcase_add_test(tc, full_accept_queue_leaves_handshake_pending);
	tcase_add_test(tc, syn_flood_answers_with_cookies);
	tcase_add_test(tc, forged_or_stale_cookie_is_reset);
	tcase_add_test(tc, half_open_connection_gives_up);
	tcase_add_test(tc, connect_times_out_after_syn_retries);
	tcase_add_test(tc, new_syn_reuses_time_wait_connection);
	tcase_add_test(tc, bind_conflicts_are_refused);
	tcase_add_test(tc, reuseaddr_binds_over_time_wait);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
