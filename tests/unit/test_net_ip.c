/* Unit tests of IPv4 and ICMP (net/ip.c, ip_reass.c, icmp.c): header
 * validation, echo, unreachables, reassembly (order, duplicates,
 * overlaps, timeouts, memory bounds) and fragmentation on output. */
#include "run_suite.h"
#include "test_net_harness.h"

#include <unilab/errno.h>
#include <unilab/socket.h>
#include "icmp.h"
#include "ip.h"
#include "ip_reass.h"

static void setup(void)
{
	harness_init(true);
	learn_peer();
}

static struct ul_net_stats stats(void)
{
	struct ul_net_stats st;
	ul_net_stats(&st);
	return st;
}

static size_t make_echo(uint8_t *icmp, uint16_t id, uint16_t seq,
                        size_t datalen)
{
	icmp[0] = ICMP_ECHO;
	icmp[1] = 0;
	wr16(icmp + 2, 0);
	wr16(icmp + 4, id);
	wr16(icmp + 6, seq);
	for (size_t i = 0; i < datalen; i++)
		icmp[8 + i] = (uint8_t)i;
	wr16(icmp + 2, csum(icmp, 8 + datalen));
	return 8 + datalen;
}

static void expect_echo_reply(uint16_t id, uint16_t seq, size_t datalen)
{
	const struct captured *c = next_frame();
	ck_assert_ptr_nonnull(c);
	struct parsed p;
	parse_frame(c, &p);
	ck_assert_uint_eq(p.proto, IP_PROTO_ICMP);
	ck_assert_uint_eq(p.src, OUR_IP);
	ck_assert_uint_eq(p.dst, PEER_IP);
	ck_assert_uint_eq(p.l4[0], ICMP_ECHO_REPLY);
	ck_assert_uint_eq(csum(p.l4, p.l4_len), 0);
	ck_assert_uint_eq(rd16(p.l4 + 4), id);
	ck_assert_uint_eq(rd16(p.l4 + 6), seq);
	ck_assert_uint_eq(p.l4_len, 8 + datalen);
	for (size_t i = 0; i < datalen; i++)
		ck_assert_uint_eq(p.l4[8 + i], (uint8_t)i);
}

START_TEST(echo_request_is_answered)
{
	uint8_t icmp[128], f[256];
	size_t n = make_echo(icmp, 0x77, 3, 56);
	inject(f, make_ip(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, icmp, n));
	expect_echo_reply(0x77, 3, 56);
	ck_assert_uint_eq(stats().icmp_in, 1);
	ck_assert_uint_eq(stats().icmp_out, 1);
}
END_TEST

START_TEST(echo_to_broadcast_is_not_answered)
{
	uint8_t icmp[128], f[256];
	size_t n = make_echo(icmp, 1, 1, 8);
	inject(f, make_ip(f, PEER_IP, UL_IP(10, 0, 0, 255), IP_PROTO_ICMP,
	                  icmp, n));
	inject(f, make_ip(f, PEER_IP, UL_IP_BROADCAST, IP_PROTO_ICMP, icmp, n));
	ck_assert_uint_eq(frames_sent(), 0);
}
END_TEST

START_TEST(bad_headers_are_dropped_and_counted)
{
	uint8_t icmp[64], f[256];
	size_t n = make_echo(icmp, 1, 1, 8);
	size_t len = make_ip(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, icmp, n);
	uint8_t g[256];
	unsigned drops = 0;

	memcpy(g, f, len);
	g[14] = 0x65; /* version 6 */
	inject(g, len), drops++;
	memcpy(g, f, len);
	g[14] = 0x44; /* header of 16 bytes */
	inject(g, len), drops++;
	memcpy(g, f, len);
	g[14 + 10] ^= 1; /* checksum */
	inject(g, len), drops++;
	memcpy(g, f, len);
	inject(g, len - 1), drops++; /* total length past the frame */
	inject(g, 14 + 19), drops++; /* not even a header */
	memcpy(g, f, len);
	wr32(g + 14 + 16, UL_IP(10, 0, 0, 3)); /* not our address */
	wr16(g + 14 + 10, 0);
	wr16(g + 14 + 10, csum(g + 14, 20));
	inject(g, len), drops++;
	memcpy(g, f, len);
	wr32(g + 14 + 12, UL_IP(224, 0, 0, 1)); /* multicast source */
	wr16(g + 14 + 10, 0);
	wr16(g + 14 + 10, csum(g + 14, 20));
	inject(g, len), drops++;
	memcpy(g, f, len);
	wr32(g + 14 + 12, OUR_IP); /* from the wire, "from" us: forged */
	wr16(g + 14 + 10, 0);
	wr16(g + 14 + 10, csum(g + 14, 20));
	inject(g, len), drops++;

	ck_assert_uint_eq(frames_sent(), 0);
	ck_assert_uint_eq(stats().ip_drop, drops);
	ck_assert_uint_eq(stats().ip_csum_err, 1);
	/* Ethernet padding after the datagram is not data. */
	memcpy(g, f, len);
	memset(g + len, 0xee, 20);
	inject(g, len + 20);
	expect_echo_reply(1, 1, 8);
}
END_TEST

START_TEST(unknown_protocol_gets_protocol_unreachable)
{
	uint8_t payload[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, f[128];
	inject(f, make_ip(f, PEER_IP, OUR_IP, 99, payload, sizeof payload));
	const struct captured *c = next_frame();
	ck_assert_ptr_nonnull(c);
	struct parsed p;
	parse_frame(c, &p);
	ck_assert_uint_eq(p.proto, IP_PROTO_ICMP);
	ck_assert_uint_eq(p.l4[0], ICMP_UNREACH);
	ck_assert_uint_eq(p.l4[1], ICMP_UNREACH_PROTOCOL);
	ck_assert_uint_eq(p.l4_len, 8 + 20 + 8);
	ck_assert_mem_eq(p.l4 + 8, f + 14, 28); /* the original header + 8 */
}
END_TEST

START_TEST(icmp_errors_are_rate_limited)
{
	uint8_t payload[8] = {0}, f[128];
	for (int i = 0; i < 3 * ICMP_ERRORS_PER_SEC; i++)
		inject(f, make_ip(f, PEER_IP, OUR_IP, 99, payload, 8));
	ck_assert_uint_eq(frames_sent(), ICMP_ERRORS_PER_SEC);
	clear_frames();
	advance(UL_S);
	inject(f, make_ip(f, PEER_IP, OUR_IP, 99, payload, 8));
	ck_assert_uint_eq(frames_sent(), 1);
}
END_TEST

/* An echo request (identifier 0x42, sequence id) of datalen bytes, cut
 * into IP fragments at cuts[] (multiples of 8); fragments are sent in
 * the order of order[] (indexes into cuts, repeats allowed). */
static void send_fragments(uint16_t id, size_t datalen, const size_t *cuts,
                           int ncuts, const int *order, int norder)
{
	static uint8_t icmp[65536];
	size_t total = make_echo(icmp, 0x42, id, datalen);
	for (int k = 0; k < norder; k++) {
		int i = order[k];
		size_t start = cuts[i];
		size_t end = i + 1 < ncuts ? cuts[i + 1] : total;
		uint16_t frag = (uint16_t)(start / 8);
		if (i + 1 < ncuts)
			frag |= 0x2000;
		static uint8_t f[2048];
		inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP,
		                       icmp + start, end - start, id, frag));
	}
}

START_TEST(fragments_in_order_are_reassembled)
{
	size_t cuts[] = {0, 1480, 2960};
	int order[] = {0, 1, 2};
	send_fragments(1, 3500, cuts, 3, order, 3);
	/* The reply is bigger than the MTU: it leaves in fragments too. */
	ck_assert_uint_eq(frames_sent(), 3);
	ck_assert_uint_eq(stats().ip_reassembled, 1);
	ck_assert_uint_eq(stats().ip_frag_out, 3);
	ck_assert_uint_eq(ip_reass_count(), 0);
	ck_assert_uint_eq(ip_reass_bytes(), 0);
}
END_TEST

START_TEST(fragments_out_of_order_and_duplicated_are_reassembled)
{
	size_t cuts[] = {0, 16, 40, 64};
	int order[] = {3, 1, 1, 2};
	send_fragments(2, 100, cuts, 4, order, 4);
	ck_assert_uint_eq(frames_sent(), 0);
	ck_assert_uint_eq(ip_reass_count(), 1);
	int last[] = {0};
	send_fragments(2, 100, cuts, 4, last, 1);
	expect_echo_reply(0x42, 2, 100);
	ck_assert_uint_eq(ip_reass_count(), 0);
}
END_TEST

START_TEST(overlapping_fragments_drop_the_datagram)
{
	size_t cuts[] = {0, 16, 40};
	int order[] = {0, 2};
	send_fragments(3, 60, cuts, 3, order, 2);
	/* [8, 24) overlaps what is held, differently cut: ambiguity. */
	static uint8_t junk[16], f[128];
	inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, junk, 16,
	                       3, 0x2000 | 1));
	ck_assert_uint_eq(ip_reass_count(), 0);
	ck_assert_uint_eq(stats().ip_reass_drop, 1);
	ck_assert_uint_eq(ip_reass_bytes(), 0);
	/* Its other pieces start over and cannot complete it. */
	int rest[] = {1};
	send_fragments(3, 60, cuts, 3, rest, 1);
	ck_assert_uint_eq(frames_sent(), 0);
}
END_TEST

START_TEST(disagreeing_last_fragments_drop_the_datagram)
{
	static uint8_t data[64], f[128];
	inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, data, 16, 4,
	                       2)); /* last, ends at 32 */
	inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, data, 24, 4,
	                       2)); /* last, ends at 40 */
	ck_assert_uint_eq(ip_reass_count(), 0);
	ck_assert_uint_eq(stats().ip_reass_drop, 1);
	/* Data past a known end is just as wrong. */
	inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, data, 8, 5,
	                       1));
	inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, data, 16, 5,
	                       0x2000 | 2));
	ck_assert_uint_eq(ip_reass_count(), 0);
	ck_assert_uint_eq(stats().ip_reass_drop, 2);
}
END_TEST

START_TEST(malformed_fragments_are_refused)
{
	static uint8_t data[128], f[256];
	/* A middle fragment whose length is not a multiple of 8. */
	inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, data, 13, 6,
	                       0x2000));
	/* Past 65535 bytes of datagram. */
	inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, data, 64, 7,
	                       0x1fff));
	ck_assert_uint_eq(ip_reass_count(), 0);
	ck_assert_uint_eq(stats().ip_reass_drop, 2);
}
END_TEST

START_TEST(incomplete_datagram_times_out)
{
	size_t cuts[] = {0, 16};
	int order[] = {0};
	send_fragments(8, 40, cuts, 2, order, 1);
	ck_assert_uint_eq(ip_reass_count(), 1);
	advance(REASS_TIMEOUT_NS - 1);
	ck_assert_uint_eq(ip_reass_count(), 1);
	advance(1);
	ck_assert_uint_eq(ip_reass_count(), 0);
	ck_assert_uint_eq(ip_reass_bytes(), 0);
	ck_assert_uint_eq(stats().ip_reass_drop, 1);
}
END_TEST

START_TEST(reassembly_memory_is_bounded)
{
	static uint8_t data[1480], f[2048];
	for (unsigned id = 0; id < 1000; id++) {
		inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, data,
		                       sizeof data, (uint16_t)(100 + id),
		                       0x2000));
		ck_assert_uint_le(ip_reass_count(), REASS_MAX_DATAGRAMS);
		ck_assert_uint_le(ip_reass_bytes(), REASS_MAX_BYTES);
	}
	/* One datagram bigger than the whole budget cannot be held. */
	for (unsigned off = 0; off < 65000; off += 1480)
		inject(f, make_ip_frag(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, data,
		                       sizeof data, 9, 0x2000 | (off / 8)));
	ck_assert_uint_le(ip_reass_bytes(), REASS_MAX_BYTES);
	/* And a real one still gets through. */
	size_t cuts[] = {0, 1480};
	int order[] = {1, 0};
	send_fragments(10, 2000, cuts, 2, order, 2);
	ck_assert_uint_eq(stats().ip_reassembled, 1);
}
END_TEST

START_TEST(large_udp_datagram_leaves_in_fragments)
{
	int fd = ul_socket(UL_SOCK_DGRAM);
	static uint8_t data[4000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 13);
	struct ul_sockaddr to = {PEER_IP, 9};
	ck_assert_int_eq(ul_sendto(fd, data, sizeof data, 0, &to), sizeof data);
	static uint8_t whole[8 + sizeof data];
	size_t covered = 0;
	uint16_t id = 0;
	for (int i = 0; i < 3; i++) {
		const struct captured *c = next_frame();
		ck_assert_ptr_nonnull(c);
		struct parsed p;
		parse_frame(c, &p);
		size_t off = (size_t)(p.frag & 0x1fff) * 8;
		ck_assert_uint_eq(!!(p.frag & 0x2000), i < 2);
		ck_assert_uint_eq(off, covered);
		if (i == 0)
			id = p.ip_id;
		ck_assert_uint_eq(p.ip_id, id);
		ck_assert_uint_le(20 + p.l4_len, 1500);
		memcpy(whole + off, p.l4, p.l4_len);
		covered += p.l4_len;
	}
	ck_assert_uint_eq(covered, 8 + sizeof data);
	ck_assert_mem_eq(whole + 8, data, sizeof data);
	ck_assert_uint_eq(rd16(whole + 4), 8 + sizeof data);
}
END_TEST

START_TEST(ping_socket_sends_requests_and_gets_replies)
{
	int fd = ul_socket(UL_SOCK_PING);
	ck_assert_int_ge(fd, 0);
	uint8_t msg[16] = {ICMP_ECHO, 0, 0, 0, 0, 0, 0, 5, 'p', 'i', 'n', 'g'};
	struct ul_sockaddr to = {PEER_IP, 0};
	ck_assert_int_eq(ul_sendto(fd, msg, sizeof msg, 0, &to), sizeof msg);
	const struct captured *c = next_frame();
	struct parsed p;
	parse_frame(c, &p);
	ck_assert_uint_eq(p.l4[0], ICMP_ECHO);
	ck_assert_uint_eq(csum(p.l4, p.l4_len), 0);
	struct ul_sockaddr me;
	ul_getsockname(fd, &me);
	uint16_t ident = rd16(p.l4 + 4);
	ck_assert_uint_eq(ident, me.port);
	/* The peer answers; a reply for another identifier is not ours. */
	uint8_t reply[16], f[128];
	memcpy(reply, p.l4, sizeof reply);
	reply[0] = ICMP_ECHO_REPLY;
	wr16(reply + 2, 0);
	wr16(reply + 2, csum(reply, sizeof reply));
	inject(f, make_ip(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, reply, 16));
	wr16(reply + 4, (uint16_t)(ident + 1));
	wr16(reply + 2, 0);
	wr16(reply + 2, csum(reply, sizeof reply));
	inject(f, make_ip(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, reply, 16));
	uint8_t buf[64];
	struct ul_sockaddr from;
	ck_assert_int_eq(ul_recvfrom(fd, buf, sizeof buf, UL_MSG_DONTWAIT,
	                             &from), 16);
	ck_assert_uint_eq(from.addr, PEER_IP);
	ck_assert_mem_eq(buf + 8, "ping", 4);
	ck_assert_int_eq(ul_recvfrom(fd, buf, sizeof buf, UL_MSG_DONTWAIT,
	                             &from), -UL_EAGAIN);
}
END_TEST

START_TEST(pinging_ourselves_goes_through_loopback)
{
	int fd = ul_socket(UL_SOCK_PING);
	uint8_t msg[12] = {ICMP_ECHO, 0, 0, 0, 0, 0, 0, 1, 'l', 'o', 'o', 'p'};
	struct ul_sockaddr to = {OUR_IP, 0};
	ck_assert_int_eq(ul_sendto(fd, msg, sizeof msg, 0, &to), sizeof msg);
	ck_assert_uint_eq(frames_sent(), 0); /* nothing on the wire */
	advance(1);
	uint8_t buf[64];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 12);
	ck_assert_uint_eq(buf[0], ICMP_ECHO_REPLY);
	ck_assert_mem_eq(buf + 8, "loop", 4);
}
END_TEST

START_TEST(no_route_is_reported)
{
	net_gateway = 0;
	int fd = ul_socket(UL_SOCK_DGRAM);
	struct ul_sockaddr to = {FAR_IP, 9};
	ck_assert_int_eq(ul_sendto(fd, "x", 1, 0, &to), -UL_ENETUNREACH);
	ck_assert_uint_eq(stats().ip_no_route, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("net_ip");
	TCase *tc = tcase_create("ip");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, echo_request_is_answered);
	tcase_add_test(tc, echo_to_broadcast_is_not_answered);
	tcase_add_test(tc, bad_headers_are_dropped_and_counted);
	tcase_add_test(tc, unknown_protocol_gets_protocol_unreachable);
	tcase_add_test(tc, icmp_errors_are_rate_limited);
	tcase_add_test(tc, fragments_in_order_are_reassembled);
	tcase_add_test(tc, fragments_out_of_order_and_duplicated_are_reassembled);
	tcase_add_test(tc, overlapping_fragments_drop_the_datagram);
	tcase_add_test(tc, disagreeing_last_fragments_drop_the_datagram);
	tcase_add_test(tc, malformed_fragments_are_refused);
	tcase_add_test(tc, incomplete_datagram_times_out);
	tcase_add_test(tc, reassembly_memory_is_bounded);
	tcase_add_test(tc, large_udp_datagram_leaves_in_fragments);
	tcase_add_test(tc, ping_socket_sends_requests_and_gets_replies);
	tcase_add_test(tc, pinging_ourselves_goes_through_loopback);
	tcase_add_test(tc, no_route_is_reported);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
