/* Unit tests of UDP and datagram sockets (net/udp.c, dgram.c,
 * sock_dgram.c, socket.c): delivery, checksums, port unreachable,
 * binding rules, connected sockets, broadcast, queue bounds, poll and
 * blocking receives with timeouts. */
#include "run_suite.h"
#include "test_net_harness.h"

#include <unilab/errno.h>
#include <unilab/socket.h>
#include <unilab/thread.h>
#include "icmp.h"
#include "ip.h"

static void setup(void)
{
	harness_init(true);
	learn_peer();
}

static int bound(uint16_t port)
{
	int fd = ul_socket(UL_SOCK_DGRAM);
	ck_assert_int_ge(fd, 0);
	struct ul_sockaddr a = {0, port};
	ck_assert_int_eq(ul_bind(fd, &a), 0);
	return fd;
}

static void peer_udp(uint16_t sport, uint16_t dport, const char *text)
{
	uint8_t f[FRAME_MAX];
	inject(f, make_udp(f, PEER_IP, sport, OUR_IP, dport, text,
	                   strlen(text)));
}

static struct ul_net_stats stats(void)
{
	struct ul_net_stats st;
	ul_net_stats(&st);
	return st;
}

START_TEST(datagram_is_delivered_with_its_source)
{
	int fd = bound(7);
	peer_udp(5555, 7, "hello");
	char buf[32];
	struct ul_sockaddr from;
	ck_assert_int_eq(ul_recvfrom(fd, buf, sizeof buf, UL_MSG_DONTWAIT,
	                             &from), 5);
	ck_assert_mem_eq(buf, "hello", 5);
	ck_assert_uint_eq(from.addr, PEER_IP);
	ck_assert_uint_eq(from.port, 5555);
	ck_assert_int_eq(ul_recvfrom(fd, buf, sizeof buf, UL_MSG_DONTWAIT,
	                             &from), -UL_EAGAIN);
}
END_TEST

START_TEST(sendto_builds_a_valid_datagram)
{
	int fd = bound(7);
	struct ul_sockaddr to = {PEER_IP, 5555};
	ck_assert_int_eq(ul_sendto(fd, "reply", 5, 0, &to), 5);
	const struct captured *c = next_frame();
	ck_assert_ptr_nonnull(c);
	struct parsed p;
	parse_frame(c, &p);
	ck_assert_uint_eq(p.proto, IP_PROTO_UDP);
	ck_assert_uint_eq(p.src, OUR_IP);
	ck_assert_uint_eq(rd16(p.l4), 7);
	ck_assert_uint_eq(rd16(p.l4 + 2), 5555);
	ck_assert_uint_eq(rd16(p.l4 + 4), 13);
	ck_assert_uint_ne(rd16(p.l4 + 6), 0);
	ck_assert_uint_eq(csum_finish(csum_add(csum_pseudo(p.src, p.dst, 17,
	                                                   13), p.l4, 13)), 0);
	ck_assert_mem_eq(p.l4 + 8, "reply", 5);
}
END_TEST

START_TEST(long_datagram_is_truncated_to_the_buffer)
{
	int fd = bound(7);
	peer_udp(5555, 7, "0123456789");
	char buf[4];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 4);
	ck_assert_mem_eq(buf, "0123", 4);
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT),
	                 -UL_EAGAIN);
}
END_TEST

START_TEST(peek_leaves_the_datagram)
{
	int fd = bound(7);
	peer_udp(5555, 7, "abc");
	char buf[8];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf,
	                         UL_MSG_PEEK | UL_MSG_DONTWAIT), 3);
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 3);
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT),
	                 -UL_EAGAIN);
}
END_TEST

START_TEST(checksum_errors_are_dropped_and_zero_means_none)
{
	int fd = bound(7);
	uint8_t f[FRAME_MAX];
	size_t n = make_udp(f, PEER_IP, 5555, OUR_IP, 7, "data", 4);
	f[n - 1] ^= 0xff;
	inject(f, n);
	ck_assert_uint_eq(stats().udp_csum_err, 1);
	n = make_udp(f, PEER_IP, 5555, OUR_IP, 7, "data", 4);
	wr16(f + 14 + 20 + 6, 0); /* the sender computed no checksum */
	inject(f, n);
	char buf[8];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 4);
}
END_TEST

START_TEST(bad_lengths_are_dropped)
{
	bound(7);
	uint8_t f[FRAME_MAX];
	size_t n = make_udp(f, PEER_IP, 5555, OUR_IP, 7, "data", 4);
	wr16(f + 14 + 20 + 4, 200); /* longer than the datagram */
	inject(f, n);
	wr16(f + 14 + 20 + 4, 7); /* shorter than a header */
	inject(f, n);
	inject(f, make_ip(f, PEER_IP, OUR_IP, 17, "abcde", 5)); /* no header */
	ck_assert_uint_eq(stats().udp_drop, 3);
}
END_TEST

START_TEST(closed_port_answers_port_unreachable)
{
	peer_udp(5555, 9999, "anyone?");
	const struct captured *c = next_frame();
	ck_assert_ptr_nonnull(c);
	struct parsed p;
	parse_frame(c, &p);
	ck_assert_uint_eq(p.proto, IP_PROTO_ICMP);
	ck_assert_uint_eq(p.l4[0], ICMP_UNREACH);
	ck_assert_uint_eq(p.l4[1], ICMP_UNREACH_PORT);
	ck_assert_uint_eq(rd16(p.l4 + 8 + 20 + 2), 9999);
	ck_assert_uint_eq(stats().udp_no_port, 1);
	/* Not for a broadcast. */
	uint8_t f[FRAME_MAX];
	inject(f, make_udp(f, PEER_IP, 5555, UL_IP_BROADCAST, 9999, "x", 1));
	ck_assert_uint_eq(frames_sent(), 0);
}
END_TEST

START_TEST(port_unreachable_refuses_a_connected_socket)
{
	int fd = ul_socket(UL_SOCK_DGRAM);
	struct ul_sockaddr to = {PEER_IP, 9999};
	ck_assert_int_eq(ul_connect(fd, &to), 0);
	ck_assert_int_eq(ul_send(fd, "q", 1, 0), 1);
	const struct captured *c = next_frame();
	struct parsed p;
	parse_frame(c, &p);
	/* The peer answers with an unreachable quoting our datagram. */
	uint8_t icmp[64], f[128];
	memset(icmp, 0, 8);
	icmp[0] = ICMP_UNREACH;
	icmp[1] = ICMP_UNREACH_PORT;
	memcpy(icmp + 8, c->data + 14, 28);
	wr16(icmp + 2, csum(icmp, 36));
	inject(f, make_ip(f, PEER_IP, OUR_IP, IP_PROTO_ICMP, icmp, 36));
	char buf[4];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT),
	                 -UL_ECONNREFUSED);
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT),
	                 -UL_EAGAIN);
}
END_TEST

START_TEST(binding_rules)
{
	int a = bound(7);
	(void)a;
	int b = ul_socket(UL_SOCK_DGRAM);
	struct ul_sockaddr same = {0, 7};
	ck_assert_int_eq(ul_bind(b, &same), -UL_EADDRINUSE);
	struct ul_sockaddr foreign = {UL_IP(10, 0, 0, 99), 8};
	ck_assert_int_eq(ul_bind(b, &foreign), -UL_EINVAL);
	struct ul_sockaddr eph = {0, 0};
	ck_assert_int_eq(ul_bind(b, &eph), 0);
	struct ul_sockaddr got;
	ul_getsockname(b, &got);
	ck_assert_uint_ge(got.port, 49152);
	ck_assert_int_eq(ul_bind(b, &eph), -UL_EINVAL); /* bound already */
	/* TCP and UDP ports are separate spaces. */
	int t = ul_socket(UL_SOCK_STREAM);
	ck_assert_int_eq(ul_bind(t, &same), 0);
}
END_TEST

START_TEST(connected_socket_hears_only_its_peer)
{
	int fd = bound(7);
	struct ul_sockaddr peer = {PEER_IP, 5555};
	ck_assert_int_eq(ul_connect(fd, &peer), 0);
	peer_udp(6666, 7, "stranger"); /* another port: not for fd */
	peer_udp(5555, 7, "friend");
	char buf[16];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT), 6);
	ck_assert_mem_eq(buf, "friend", 6);
}
END_TEST

START_TEST(broadcast_needs_the_option)
{
	int fd = bound(68);
	struct ul_sockaddr all = {UL_IP_BROADCAST, 67};
	ck_assert_int_eq(ul_sendto(fd, "d", 1, 0, &all), -UL_EINVAL);
	struct ul_sockaddr subnet = {UL_IP(10, 0, 0, 255), 67};
	ck_assert_int_eq(ul_sendto(fd, "d", 1, 0, &subnet), -UL_EINVAL);
	ck_assert_int_eq(ul_setsockopt(fd, UL_SO_BROADCAST, 1), 0);
	ck_assert_int_eq(ul_sendto(fd, "d", 1, 0, &all), 1);
	const struct captured *c = next_frame();
	ck_assert_ptr_nonnull(c);
	ck_assert_mem_eq(c->data, "\xff\xff\xff\xff\xff\xff", 6);
}
END_TEST

START_TEST(receive_queue_is_bounded)
{
	int fd = bound(7);
	ck_assert_int_eq(ul_setsockopt(fd, UL_SO_RCVBUF, 1000), 0);
	static char big[300];
	memset(big, 'b', sizeof big - 1);
	for (int i = 0; i < 10; i++)
		peer_udp(5555, 7, big);
	ck_assert_uint_eq(stats().udp_drop, 7);
	char buf[512];
	int got = 0;
	while (ul_recv(fd, buf, sizeof buf, UL_MSG_DONTWAIT) > 0)
		got++;
	ck_assert_int_eq(got, 3);
}
END_TEST

START_TEST(poll_reports_readable_sockets)
{
	int a = bound(7), b = bound(8);
	struct ul_pollfd fds[3] = {{a, UL_POLLIN, 0}, {b, UL_POLLIN, 0},
	                           {99, UL_POLLIN, 0}};
	ck_assert_int_eq(ul_poll(fds, 2, 0), 0);
	peer_udp(5555, 8, "b");
	ck_assert_int_eq(ul_poll(fds, 3, 0), 2);
	ck_assert_int_eq(fds[0].revents, 0);
	ck_assert_int_eq(fds[1].revents, UL_POLLIN);
	ck_assert_int_eq(fds[2].revents, UL_POLLNVAL);
}
END_TEST

START_TEST(closed_descriptors_are_refused)
{
	int fd = bound(7);
	ck_assert_int_eq(ul_close(fd), 0);
	char c;
	ck_assert_int_eq(ul_recv(fd, &c, 1, 0), -UL_EBADF);
	ck_assert_int_eq(ul_close(fd), -UL_EBADF);
	ck_assert_int_eq(ul_socket(42), -UL_EINVAL);
	/* The port is free again. */
	bound(7);
}
END_TEST

/* A full descriptor table is out of descriptors, not out of memory; a
 * closed descriptor is the next one given. */
START_TEST(full_table_is_no_space)
{
	int last = -1, fd;
	while ((fd = ul_socket(UL_SOCK_DGRAM)) >= 0)
		last = fd;
	ck_assert_int_eq(fd, -UL_ENOSPC);
	ck_assert_int_eq(last, 65535);
	ck_assert_int_eq(ul_close(1234), 0);
	ck_assert_int_eq(ul_socket(UL_SOCK_DGRAM), 1234);
	ck_assert_int_eq(ul_socket(UL_SOCK_STREAM), -UL_ENOSPC);
}
END_TEST

/* Blocking calls on the real clock, with threads. */
static void setup_threads(void)
{
	harness_init(false);
	learn_peer();
}

static void *late_sender(void *arg)
{
	(void)arg;
	ul_sleep(20 * UL_MS);
	peer_udp(5555, 7, "late");
	return NULL;
}

START_TEST(blocking_receive_waits_for_data)
{
	int fd = bound(7);
	struct ul_thread *t = ul_thread_create("late", late_sender, NULL, 0);
	char buf[8];
	uint64_t start = ul_now();
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, 0), 4);
	ck_assert_uint_ge(ul_now() - start, 20 * UL_MS);
	ck_assert_int_eq(ul_thread_join(t, NULL), 0);
}
END_TEST

START_TEST(receive_timeout_expires)
{
	int fd = bound(7);
	ck_assert_int_eq(ul_setsockopt(fd, UL_SO_RCVTIMEO, 30 * UL_MS), 0);
	char buf[8];
	uint64_t start = ul_now();
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, 0), -UL_ETIMEDOUT);
	ck_assert_uint_ge(ul_now() - start, 30 * UL_MS);
}
END_TEST

START_TEST(poll_blocks_until_a_socket_is_ready)
{
	int a = bound(6), b = bound(7);
	struct ul_thread *t = ul_thread_create("late", late_sender, NULL, 0);
	struct ul_pollfd fds[2] = {{a, UL_POLLIN, 0}, {b, UL_POLLIN, 0}};
	ck_assert_int_eq(ul_poll(fds, 2, UL_FOREVER), 1);
	ck_assert_int_eq(fds[1].revents, UL_POLLIN);
	ck_assert_int_eq(ul_poll(fds, 1, 10 * UL_MS), 0);
	ck_assert_int_eq(ul_thread_join(t, NULL), 0);
}
END_TEST

static void *closer(void *arg)
{
	ul_sleep(10 * UL_MS);
	ul_close((int)(intptr_t)arg);
	return NULL;
}

START_TEST(closing_wakes_a_blocked_reader)
{
	int fd = bound(7);
	struct ul_thread *t = ul_thread_create("closer", closer,
	                                       (void *)(intptr_t)fd, 0);
	char buf[8];
	ck_assert_int_eq(ul_recv(fd, buf, sizeof buf, 0), -UL_EBADF);
	ck_assert_int_eq(ul_thread_join(t, NULL), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("net_udp");
	TCase *tc = tcase_create("udp");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, datagram_is_delivered_with_its_source);
	tcase_add_test(tc, sendto_builds_a_valid_datagram);
	tcase_add_test(tc, long_datagram_is_truncated_to_the_buffer);
	tcase_add_test(tc, peek_leaves_the_datagram);
	tcase_add_test(tc, checksum_errors_are_dropped_and_zero_means_none);
	tcase_add_test(tc, bad_lengths_are_dropped);
	tcase_add_test(tc, closed_port_answers_port_unreachable);
	tcase_add_test(tc, port_unreachable_refuses_a_connected_socket);
	tcase_add_test(tc, binding_rules);
	tcase_add_test(tc, connected_socket_hears_only_its_peer);
	tcase_add_test(tc, broadcast_needs_the_option);
	tcase_add_test(tc, receive_queue_is_bounded);
	tcase_add_test(tc, poll_reports_readable_sockets);
	tcase_add_test(tc, closed_descriptors_are_refused);
	tcase_add_test(tc, full_table_is_no_space);
	suite_add_tcase(s, tc);
	TCase *live = tcase_create("blocking");
	tcase_add_checked_fixture(live, setup_threads, NULL);
	tcase_add_test(live, blocking_receive_waits_for_data);
	tcase_add_test(live, receive_timeout_expires);
	tcase_add_test(live, poll_blocks_until_a_socket_is_ready);
	tcase_add_test(live, closing_wakes_a_blocked_reader);
	suite_add_tcase(s, live);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
