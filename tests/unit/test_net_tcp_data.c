/* Unit tests of TCP data transfer (net/tcp_*.c): acknowledgment policy,
 * reassembly of out-of-order data, flow control and window scaling,
 * Nagle, RFC 6298 timing and back-off, fast retransmit, zero-window
 * probes; and a bulk transfer over the loopback path with real threads. */
#include "run_suite.h"
#include "test_net_harness.h"

#include <unilab/errno.h>
#include <unilab/socket.h>
#include <unilab/thread.h>
#include "tcp.h"

#define PEER_PORT 40000
#define OUR_PORT 80
#define PEER_ISS 7000u

static const uint8_t syn_opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7};
/* The same, with SACK-permitted. */
static const uint8_t sack_syn_opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7,
                                        1, 1, 4, 2};
static const uint8_t *peer_syn_opts = syn_opts;
static size_t peer_syn_optlen = sizeof syn_opts;

static uint32_t peer_nxt, our_nxt;
static struct tcp_pcb *pcb;

static void setup(void)
{
	harness_init(true);
	learn_peer();
}

/* An established connection, accepted: its descriptor. The peer's
 * window is wnd << 7. rcvbuf (when not 0) is set on the listener. */
static int connection(uint16_t wnd, long rcvbuf, uint64_t rtt)
{
	int lfd = ul_socket(UL_SOCK_STREAM);
	struct ul_sockaddr a = {0, OUR_PORT};
	ck_assert_int_eq(ul_bind(lfd, &a), 0);
	if (rcvbuf)
		ck_assert_int_eq(ul_setsockopt(lfd, UL_SO_RCVBUF, rcvbuf), 0);
	ck_assert_int_eq(ul_listen(lfd, 4), 0);
	struct tcp_spec syn = {.sport = PEER_PORT, .dport = OUR_PORT,
	                       .seq = PEER_ISS, .flags = TCP_SYN,
	                       .wnd = 65535, .opts = peer_syn_opts,
	                       .optlen = peer_syn_optlen};
	inject_tcp(&syn);
	struct parsed p;
	expect_tcp(&p);
	ck_assert(p.sack_permitted == (peer_syn_opts == sack_syn_opts));
	our_nxt = p.seq + 1;
	peer_nxt = PEER_ISS + 1;
	advance(rtt);
	struct tcp_spec ack = {.sport = PEER_PORT, .dport = OUR_PORT,
	                       .seq = peer_nxt, .ack = our_nxt,
	                       .flags = TCP_ACK, .wnd = wnd};
	inject_tcp(&ack);
	int fd = ul_accept(lfd, NULL);
	ck_assert_int_ge(fd, 0);
	pcb = tcp_lookup(OUR_IP, OUR_PORT, PEER_IP, PEER_PORT);
	ck_assert_ptr_nonnull(pcb);
	return fd;
}

static void peer_data(uint32_t seq, const char *data, size_t len)
{
	struct tcp_spec s = {.sport = PEER_PORT, .dport = OUR_PORT,
	                     .seq = seq, .ack = our_nxt,
	                     .flags = TCP_ACK | TCP_PSH, .wnd = 1024,
	                     .data = data, .len = len};
	inject_tcp(&s);
}

static void peer_ack(uint32_t ack, uint16_t wnd)
{
	struct tcp_spec s = {.sport = PEER_PORT, .dport = OUR_PORT,
	                     .seq = peer_nxt, .ack = ack, .flags = TCP_ACK,
	                     .wnd = wnd};
	inject_tcp(&s);
}

START_TEST(single_segment_ack_is_delayed)
{
	int fd = connection(1024, 0, 0);
	peer_data(peer_nxt, "hello", 5);
	ck_assert_uint_eq(frames_sent(), 0);
	advance(TCP_DELACK_NS - 1);
	ck_assert_uint_eq(frames_sent(), 0);
	advance(1);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt + 5);
	char buf[16];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 5);
	ck_assert_mem_eq(buf, "hello", 5);
}
END_TEST

START_TEST(every_second_segment_is_acked_at_once)
{
	connection(1024, 0, 0);
	peer_data(peer_nxt, "aaaa", 4);
	peer_data(peer_nxt + 4, "bbbb", 4);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt + 8);
	advance(TCP_DELACK_NS * 2);
	ck_assert_uint_eq(frames_sent(), 0); /* the timer was cancelled */
}
END_TEST

START_TEST(out_of_order_data_is_reassembled)
{
	int fd = connection(1024, 0, 0);
	struct parsed p;
	peer_data(peer_nxt + 6, "world!", 6);
	expect_tcp(&p); /* a duplicate ACK, at once */
	ck_assert_uint_eq(p.ack, peer_nxt);
	char buf[32];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT),
	                 -UL_EAGAIN);
	peer_data(peer_nxt + 14, "tail", 4);
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt);
	peer_data(peer_nxt, "hello ", 6);
	expect_tcp(&p); /* the hole is filled: the ACK jumps */
	ck_assert_uint_eq(p.ack, peer_nxt + 12);
	peer_data(peer_nxt + 12, "--", 2);
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt + 18);
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 18);
	ck_assert_mem_eq(buf, "hello world!--tail", 18);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_ooo_segs, 2);
}
END_TEST

START_TEST(overlapping_retransmission_is_trimmed)
{
	int fd = connection(1024, 0, 0);
	peer_data(peer_nxt, "abcdef", 6);
	peer_data(peer_nxt + 3, "defghi", 6);
	char buf[32];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 9);
	ck_assert_mem_eq(buf, "abcdefghi", 9);
	/* Entirely old: acknowledged, not delivered again. */
	clear_frames();
	peer_data(peer_nxt, "abc", 3);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt + 9);
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT),
	                 -UL_EAGAIN);
}
END_TEST

START_TEST(receive_window_closes_and_reopens)
{
	int fd = connection(1024, 4096, 0);
	struct parsed p;
	ck_assert_uint_eq(pcb->rcv_wscale, 0);
	static char chunk[1024];
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 4; i++)
		peer_data(peer_nxt + 1024u * (unsigned)i, chunk, 1024);
	advance(TCP_DELACK_NS);
	uint32_t last_ack = 0;
	unsigned last_wnd = 1;
	const struct captured *c;
	while ((c = next_frame())) {
		parse_frame(c, &p);
		last_ack = p.ack;
		last_wnd = p.wnd;
	}
	ck_assert_uint_eq(last_ack, peer_nxt + 4096);
	ck_assert_uint_eq(last_wnd, 0);
	/* Beyond the window: dropped, answered with the same ACK. */
	peer_data(peer_nxt + 4096, "zz", 2);
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt + 4096);
	ck_assert_uint_eq(p.wnd, 0);
	/* Reading half the buffer is worth a window update. */
	static char buf[4096];
	ck_assert_int_eq(ul_recv(fd, buf, 2048, UL_MSG_DONTWAIT), 2048);
	expect_tcp(&p);
	ck_assert_uint_eq(p.wnd, 2048);
	ck_assert_uint_eq(p.ack, peer_nxt + 4096);
}
END_TEST

START_TEST(send_respects_mss_and_peer_window)
{
	int fd = connection(8, 0, 0); /* 8 << 7 = 1024 bytes */
	static char data[4000];
	ck_assert_int_eq(ul_send(fd, data, sizeof data, UL_MSG_DONTWAIT),
	                 sizeof data);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 1024);
	ck_assert_uint_eq(frames_sent(), 0);
	peer_ack(our_nxt + 1024, 100); /* 12800 bytes */
	size_t total = 0;
	while (frames_sent()) {
		expect_tcp(&p);
		ck_assert_uint_eq(p.len, 1460);
		total += p.len;
	}
	/* The short tail waits for the ACK of what is in flight (Nagle). */
	ck_assert_uint_eq(total, 2 * 1460);
	peer_ack(our_nxt + 1024 + 2 * 1460, 100);
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 4000 - 1024 - 2 * 1460);
}
END_TEST

START_TEST(nagle_holds_small_segments_until_acked)
{
	int fd = connection(1024, 0, 0);
	struct parsed p;
	ck_assert_int_eq(ul_send(fd, "a", 1, 0), 1);
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 1);
	ck_assert_int_eq(ul_send(fd, "b", 1, 0), 1);
	ck_assert_int_eq(ul_send(fd, "c", 1, 0), 1);
	ck_assert_uint_eq(frames_sent(), 0);
	peer_ack(our_nxt + 1, 1024);
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 2);
	ck_assert_mem_eq(p.data, "bc", 2);
	ck_assert_int_eq(ul_setsockopt(fd, UL_TCP_NODELAY, 1), 0);
	ck_assert_int_eq(ul_send(fd, "d", 1, 0), 1);
	ck_assert_int_eq(ul_send(fd, "e", 1, 0), 1);
	ck_assert_uint_eq(frames_sent(), 2);
}
END_TEST

START_TEST(rtt_estimator_follows_rfc6298)
{
	struct tcp_pcb t = {.rto = TCP_RTO_INITIAL};
	tcp_rtt_sample(&t, 100 * UL_MS);
	ck_assert_uint_eq(t.srtt, 100 * UL_MS);
	ck_assert_uint_eq(t.rttvar, 50 * UL_MS);
	ck_assert_uint_eq(t.rto, 300 * UL_MS);
	tcp_rtt_sample(&t, 200 * UL_MS);
	ck_assert_uint_eq(t.rttvar, 62500 * UL_US);
	ck_assert_uint_eq(t.srtt, 112500 * UL_US);
	ck_assert_uint_eq(t.rto, 362500 * UL_US);
	struct tcp_pcb fast = {0};
	tcp_rtt_sample(&fast, 10 * UL_US);
	ck_assert_uint_eq(fast.rto, TCP_RTO_MIN);
	struct tcp_pcb slow = {0};
	tcp_rtt_sample(&slow, 100 * UL_S);
	ck_assert_uint_eq(slow.rto, TCP_RTO_MAX);
}
END_TEST

START_TEST(handshake_gives_the_first_rtt_sample)
{
	connection(1024, 0, 50 * UL_MS);
	ck_assert_uint_eq(pcb->srtt, 50 * UL_MS);
	ck_assert_uint_eq(pcb->rto, 150 * UL_MS > TCP_RTO_MIN
	                                    ? 150 * UL_MS : TCP_RTO_MIN);
}
END_TEST

START_TEST(unacked_data_is_retransmitted_with_backoff)
{
	int fd = connection(1024, 0, 100 * UL_MS); /* RTO 300 ms */
	struct parsed p;
	ck_assert_int_eq(ul_send(fd, "payload", 7, 0), 7);
	expect_tcp(&p);
	uint32_t seq = p.seq;
	advance(300 * UL_MS - 1);
	ck_assert_uint_eq(frames_sent(), 0);
	advance(1);
	expect_tcp(&p);
	ck_assert_uint_eq(p.seq, seq);
	ck_assert_uint_eq(p.len, 7);
	advance(600 * UL_MS - 1);
	ck_assert_uint_eq(frames_sent(), 0);
	advance(1);
	expect_tcp(&p);
	ck_assert_uint_eq(p.seq, seq);
	ck_assert_uint_eq(pcb->cwnd, pcb->mss);
	/* An ACK ends it; no more retransmissions. */
	peer_ack(our_nxt + 7, 1024);
	advance(10 * UL_S);
	ck_assert_uint_eq(frames_sent(), 0);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_timeouts, 2);
	ck_assert_uint_eq(st.tcp_retransmits, 2);
}
END_TEST

START_TEST(connection_dies_after_too_many_retransmissions)
{
	int fd = connection(1024, 0, 0);
	ck_assert_int_eq(ul_send(fd, "x", 1, 0), 1);
	unsigned n = 0;
	uint8_t last = 0;
	for (int step = 0; step < 360; step++) {
		advance(10 * UL_S);
		const struct captured *c;
		while ((c = next_frame())) {
			struct parsed p;
			parse_frame(c, &p);
			if (p.eth_type != 0x0800)
				continue;
			last = p.flags;
			n++;
		}
		learn_peer(); /* the peer keeps answering ARP */
	}
	ck_assert_uint_eq(n, 1 + TCP_DATA_RETRIES + 1);
	ck_assert(last & TCP_RST);
	char b;
	ck_assert_int_eq(ul_recv(fd, &b, 1, UL_MSG_DONTWAIT), -UL_ETIMEDOUT);
}
END_TEST

START_TEST(three_duplicate_acks_trigger_fast_retransmit)
{
	int fd = connection(1024, 0, 0);
	static char data[5 * 1460];
	ck_assert_int_eq(ul_send(fd, data, sizeof data, 0), sizeof data);
	struct parsed p;
	for (int i = 0; i < 5; i++) {
		expect_tcp(&p);
		ck_assert_uint_eq(p.len, 1460);
	}
	peer_ack(our_nxt + 1460, 1024);
	peer_ack(our_nxt + 1460, 1024);
	peer_ack(our_nxt + 1460, 1024);
	ck_assert_uint_eq(frames_sent(), 0);
	peer_ack(our_nxt + 1460, 1024);
	expect_tcp(&p);
	ck_assert_uint_eq(p.seq, our_nxt + 1460);
	ck_assert_uint_eq(p.len, 1460);
	ck_assert(pcb->in_recovery);
	ck_assert_uint_eq(pcb->ssthresh, 2 * 1460); /* flight 4 segs / 2 */
	/* A partial ACK retransmits the next hole (RFC 6582). */
	peer_ack(our_nxt + 2 * 1460, 1024);
	expect_tcp(&p);
	ck_assert_uint_eq(p.seq, our_nxt + 2 * 1460);
	peer_ack(our_nxt + 5 * 1460, 1024);
	ck_assert(!pcb->in_recovery);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_fast_retransmits, 1);
	ck_assert_uint_eq(st.tcp_dup_acks, 3);
}
END_TEST

START_TEST(zero_window_is_probed_until_it_opens)
{
	int fd = connection(1024, 0, 0);
	struct parsed p;
	ck_assert_int_eq(ul_send(fd, "abc", 3, 0), 3);
	expect_tcp(&p);
	peer_ack(our_nxt + 3, 0);
	ck_assert_int_eq(ul_send(fd, "def", 3, 0), 3);
	ck_assert_uint_eq(frames_sent(), 0);
	advance(TCP_RTO_MIN);
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 0);
	ck_assert_uint_eq(p.seq, our_nxt + 2); /* just left of the window */
	advance(2 * TCP_RTO_MIN);
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 0);
	peer_ack(our_nxt + 3, 1);
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 3);
	ck_assert_mem_eq(p.data, "def", 3);
}
END_TEST

START_TEST(window_scale_applies_after_the_handshake)
{
	connection(3, 0, 0);
	ck_assert_uint_eq(pcb->snd_wnd, 3u << 7);
	ck_assert_uint_gt(pcb->rcv_wscale, 0);
	int fd = 0;
	(void)fd;
	peer_data(peer_nxt, "x", 1);
	peer_data(peer_nxt + 1, "y", 1);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_uint_eq((uint32_t)p.wnd << pcb->rcv_wscale,
	                  pcb->rcv_adv - pcb->rcv_nxt);
	ck_assert_uint_ge((uint32_t)p.wnd << pcb->rcv_wscale,
	                  TCP_BUF_DEFAULT - 4096);
}
END_TEST

START_TEST(peer_mss_is_clamped)
{
	int lfd = ul_socket(UL_SOCK_STREAM);
	struct ul_sockaddr a = {0, OUR_PORT};
	ul_bind(lfd, &a);
	ul_listen(lfd, 4);
	static const uint8_t tiny[] = {2, 4, 0, 1};
	struct tcp_spec syn = {.sport = PEER_PORT, .dport = OUR_PORT,
	                       .seq = PEER_ISS, .flags = TCP_SYN,
	                       .wnd = 1000, .opts = tiny, .optlen = 4};
	inject_tcp(&syn);
	pcb = tcp_lookup(OUR_IP, OUR_PORT, PEER_IP, PEER_PORT);
	ck_assert_uint_eq(pcb->mss, TCP_MSS_MIN);
}
END_TEST

/* A router's ICMP "fragmentation needed" (RFC 1191) quoting our segment
 * that starts at seq, with the next hop's MTU. */
static void icmp_needfrag(uint32_t seq, uint16_t mtu)
{
	uint8_t icmp[8 + 28] = {3, 4}, f[128];
	wr16(icmp + 6, mtu);
	uint8_t *q = icmp + 8;
	q[0] = 0x45;
	wr16(q + 2, 1500);
	q[8] = 64;
	q[9] = 6;
	wr32(q + 12, OUR_IP);
	wr32(q + 16, PEER_IP);
	wr16(q + 20, OUR_PORT);
	wr16(q + 22, PEER_PORT);
	wr32(q + 24, seq);
	wr16(icmp + 2, csum(icmp, sizeof icmp));
	inject(f, make_ip(f, UL_IP(10, 0, 0, 1), OUR_IP, 1, icmp, sizeof icmp));
}

START_TEST(fragmentation_needed_lowers_the_mss)
{
	int fd = connection(100, 0, 0);
	static char data[3000];
	ck_assert_int_eq(ul_send(fd, data, sizeof data, UL_MSG_DONTWAIT),
	                 sizeof data);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 1460);
	ck_assert_uint_eq(p.frag, 0x4000); /* DF */
	uint32_t first = p.seq;
	clear_frames();
	/* About data never sent (RFC 5927): ignored. */
	icmp_needfrag(first + 100000, 1280);
	ck_assert_uint_eq(frames_sent(), 0);
	ck_assert_uint_eq(pcb->mss, 1460);
	/* About the first segment: it goes again at once, smaller. */
	icmp_needfrag(first, 1280);
	expect_tcp(&p);
	ck_assert_uint_eq(p.seq, first);
	ck_assert_uint_eq(p.len, 1280 - 40);
	/* A claim below 576 is believed only down to 576. */
	icmp_needfrag(first, 100);
	expect_tcp(&p);
	ck_assert_uint_eq(p.len, 576 - 40);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_mss_lowered, 2);
}
END_TEST

/* The first unacked segment after the next timeout fires. */
static void next_timeout(struct parsed *p)
{
	advance(pcb->rto);
	expect_tcp(p);
	clear_frames();
}

/* 3000 bytes sent and two timeouts in a row: the 1460-byte segment is
 * tried at the base size (1200-byte packets); p is that try. */
static void black_hole_suspected(struct parsed *p)
{
	int fd = connection(100, 0, 100 * UL_MS);
	static char data[3000];
	ck_assert_int_eq(ul_send(fd, data, sizeof data, UL_MSG_DONTWAIT),
	                 sizeof data);
	drain_tcp();
	next_timeout(p);
	ck_assert_uint_eq(p->len, 1460);
	next_timeout(p);
	ck_assert_uint_eq(p->len, 1200 - 40);
}

/* A third timeout with nothing acked means loss: back to 1460 for good. */
START_TEST(black_hole_trial_is_undone_after_loss)
{
	struct parsed p;
	black_hole_suspected(&p);
	next_timeout(&p);
	ck_assert_uint_eq(p.len, 1460);
	next_timeout(&p);
	next_timeout(&p);
	ck_assert_uint_eq(p.len, 1460); /* not tried again */
	ck_assert_uint_eq(pcb->mss, 1460);
}
END_TEST

START_TEST(black_hole_trial_that_works_is_kept)
{
	struct parsed p;
	black_hole_suspected(&p);
	peer_ack(p.seq + 1160, 100);
	clear_frames();
	/* Later timeouts, after that progress, leave it at the base size. */
	for (int i = 0; i < 3; i++) {
		next_timeout(&p);
		ck_assert_uint_eq(p.len, 1160);
	}
	ck_assert_uint_eq(pcb->mss, 1160);
}
END_TEST

static void setup_sack(void)
{
	setup();
	peer_syn_opts = sack_syn_opts;
	peer_syn_optlen = sizeof sack_syn_opts;
}

/* An ACK from the peer carrying SACK blocks (and maybe data). */
static void peer_sack(uint32_t ack, const uint32_t (*blocks)[2], unsigned n,
                      const char *data)
{
	uint8_t opts[36] = {1, 1, 5, (uint8_t)(2 + 8 * n)};
	for (unsigned i = 0; i < n; i++) {
		wr32(opts + 4 + 8 * i, blocks[i][0]);
		wr32(opts + 8 + 8 * i, blocks[i][1]);
	}
	struct tcp_spec s = {.sport = PEER_PORT, .dport = OUR_PORT,
	                     .seq = peer_nxt, .ack = ack, .flags = TCP_ACK,
	                     .wnd = 1024, .opts = opts, .optlen = 4 + 8 * n,
	                     .data = data, .len = data ? strlen(data) : 0};
	inject_tcp(&s);
	if (data)
		peer_nxt += (uint32_t)strlen(data);
}

START_TEST(acks_report_out_of_order_data_in_sack_blocks)
{
	connection(1024, 0, 0);
	struct parsed p;
	peer_data(peer_nxt + 10, "bbbbb", 5);
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt);
	ck_assert_uint_eq(p.nsack, 1);
	ck_assert_uint_eq(p.sack[0][0], peer_nxt + 10);
	ck_assert_uint_eq(p.sack[0][1], peer_nxt + 15);
	peer_data(peer_nxt + 30, "ddddd", 5);
	expect_tcp(&p);
	/* The newest block first, then the rest in order. */
	ck_assert_uint_eq(p.nsack, 2);
	ck_assert_uint_eq(p.sack[0][0], peer_nxt + 30);
	ck_assert_uint_eq(p.sack[1][0], peer_nxt + 10);
	peer_data(peer_nxt, "aaaaaaaaaa", 10);
	expect_tcp(&p);
	ck_assert_uint_eq(p.ack, peer_nxt + 15);
	ck_assert_uint_eq(p.nsack, 1);
	ck_assert_uint_eq(p.sack[0][0], peer_nxt + 30);
}
END_TEST

START_TEST(sack_shows_a_loss_that_acks_with_data_hide)
{
	int fd = connection(1024, 0, 0);
	static char data[6 * 1460];
	ck_assert_int_eq(ul_send(fd, data, sizeof data, 0), sizeof data);
	struct parsed p;
	for (int i = 0; i < 6; i++)
		expect_tcp(&p);
	/* Segment 2 is lost. The peer talks too, so no ACK is a duplicate;
	 * its SACK blocks tell the story. */
	peer_sack(our_nxt + 1460, NULL, 0, NULL);
	uint32_t b[1][2] = {{our_nxt + 2 * 1460, our_nxt + 3 * 1460}};
	peer_sack(our_nxt + 1460, b, 1, "x");
	b[0][1] = our_nxt + 4 * 1460;
	peer_sack(our_nxt + 1460, b, 1, "y");
	while (frames_sent()) { /* ACKs of "x" and "y", no retransmission */
		expect_tcp(&p);
		ck_assert_uint_eq(p.len, 0);
	}
	b[0][1] = our_nxt + 5 * 1460;
	peer_sack(our_nxt + 1460, b, 1, "z");
	expect_tcp(&p);
	ck_assert_uint_eq(p.seq, our_nxt + 1460);
	ck_assert_uint_eq(p.len, 1460);
	ck_assert(pcb->in_recovery);
}
END_TEST

START_TEST(sack_recovery_resends_every_hole)
{
	int fd = connection(1024, 0, 0);
	static char data[8 * 1460];
	ck_assert_int_eq(ul_send(fd, data, sizeof data, 0), sizeof data);
	clear_frames();
	/* Segments 0 and 3 are lost; 1, 2 and 4..7 arrive. */
	uint32_t b[2][2] = {{our_nxt + 4 * 1460, our_nxt + 8 * 1460},
	                    {our_nxt + 1460, our_nxt + 3 * 1460}};
	peer_sack(our_nxt, b, 2, NULL);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_uint_eq(p.seq, our_nxt);
	ck_assert_uint_eq(frames_sent(), 0);
	peer_sack(our_nxt, b, 2, NULL);
	expect_tcp(&p);
	ck_assert_uint_eq(p.seq, our_nxt + 3 * 1460);
	/* Nothing else is missing: nothing else is sent again. */
	peer_sack(our_nxt, b, 2, NULL);
	ck_assert_uint_eq(frames_sent(), 0);
	peer_ack(our_nxt + 8 * 1460, 1024);
	ck_assert(!pcb->in_recovery);
	advance(10 * UL_S);
	ck_assert_uint_eq(drain_tcp(), 0);
}
END_TEST

START_TEST(short_flight_retransmits_early)
{
	int fd = connection(1024, 0, 0);
	static char data[2 * 1460];
	ck_assert_int_eq(ul_send(fd, data, sizeof data, 0), sizeof data);
	clear_frames();
	/* Two segments out, the first lost: one SACKed segment is all
	 * the evidence there can be (RFC 5827). */
	uint32_t b[1][2] = {{our_nxt + 1460, our_nxt + 2 * 1460}};
	peer_sack(our_nxt, b, 1, NULL);
	struct parsed p;
	expect_tcp(&p);
	ck_assert_uint_eq(p.seq, our_nxt);
}
END_TEST

/* Bulk data between two threads over the loopback path, on the real
 * clock: everything sent arrives, in order. */
#define BULK (8u << 20)

static uint32_t pattern(size_t i)
{
	return (uint32_t)(i * 2654435761u >> 7);
}

static void *bulk_sender(void *arg)
{
	int lfd = (int)(intptr_t)arg;
	int fd = ul_accept(lfd, NULL);
	ck_assert_int_ge(fd, 0);
	static uint8_t buf[65536];
	for (size_t off = 0; off < BULK; off += sizeof buf) {
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)pattern(off + i);
		ck_assert_int_eq(ul_send(fd, buf, sizeof buf, 0), sizeof buf);
	}
	ck_assert_int_eq(ul_close(fd), 0);
	return NULL;
}

START_TEST(loopback_bulk_transfer_is_intact)
{
	int lfd = ul_socket(UL_SOCK_STREAM);
	struct ul_sockaddr a = {0, 5001};
	ck_assert_int_eq(ul_bind(lfd, &a), 0);
	ck_assert_int_eq(ul_listen(lfd, 1), 0);
	struct ul_thread *t = ul_thread_create("sender", bulk_sender,
	                                       (void *)(intptr_t)lfd, 0);
	int fd = ul_socket(UL_SOCK_STREAM);
	struct ul_sockaddr to = {OUR_IP, 5001};
	ck_assert_int_eq(ul_connect(fd, &to), 0);
	static uint8_t buf[40000], want[40000];
	size_t got = 0;
	for (;;) {
		long n = ul_recv(fd, buf, sizeof buf, 0);
		ck_assert_int_ge(n, 0);
		if (n == 0)
			break;
		/* One assertion a chunk: Check reports each one to its
		 * parent through a pipe. */
		for (long i = 0; i < n; i++)
			want[i] = (uint8_t)pattern(got + (size_t)i);
		ck_assert(memcmp(buf, want, (size_t)n) == 0);
		got += (size_t)n;
	}
	ck_assert_uint_eq(got, BULK);
	ck_assert_int_eq(ul_thread_join(t, NULL), 0);
	ck_assert_int_eq(ul_close(fd), 0);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.tcp_retransmits, 0);
}
END_TEST

static void setup_real_clock(void)
{
	harness_init(false);
}

static Suite *suite(void)
{
	Suite *s = suite_create("net_tcp_data");
	TCase *tc = tcase_create("tcp");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, single_segment_ack_is_delayed);
	tcase_add_test(tc, every_second_segment_is_acked_at_once);
	tcase_add_test(tc, out_of_order_data_is_reassembled);
	tcase_add_test(tc, overlapping_retransmission_is_trimmed);
	tcase_add_test(tc, receive_window_closes_and_reopens);
	tcase_add_test(tc, send_respects_mss_and_peer_window);
	tcase_add_test(tc, nagle_holds_small_segments_until_acked);
	tcase_add_test(tc, rtt_estimator_follows_rfc6298);
	tcase_add_test(tc, handshake_gives_the_first_rtt_sample);
	tcase_add_test(tc, unacked_data_is_retransmitted_with_backoff);
	tcase_add_test(tc, connection_dies_after_too_many_retransmissions);
	tcase_add_test(tc, three_duplicate_acks_trigger_fast_retransmit);
	tcase_add_test(tc, zero_window_is_probed_until_it_opens);
	tcase_add_test(tc, window_scale_applies_after_the_handshake);
	tcase_add_test(tc, peer_mss_is_clamped);
	tcase_add_test(tc, fragmentation_needed_lowers_the_mss);
	tcase_add_test(tc, black_hole_trial_is_undone_after_loss);
	tcase_add_test(tc, black_hole_trial_that_works_is_kept);
	suite_add_tcase(s, tc);
	TCase *sack = tcase_create("sack");
	tcase_add_checked_fixture(sack, setup_sack, NULL);
	tcase_add_test(sack, acks_report_out_of_order_data_in_sack_blocks);
	tcase_add_test(sack, sack_shows_a_loss_that_acks_with_data_hide);
	tcase_add_test(sack, sack_recovery_resends_every_hole);
	tcase_add_test(sack, short_flight_retransmits_early);
	suite_add_tcase(s, sack);
	TCase *live = tcase_create("loopback");
	tcase_add_checked_fixture(live, setup_real_clock, NULL);
	tcase_set_timeout(live, 30);
	tcase_add_test(live, loopback_bulk_transfer_is_intact);
	suite_add_tcase(s, live);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
