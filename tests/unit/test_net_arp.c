/* Unit tests of ARP (net/arp.c): answering, learning, resolving with
 * retries and a bounded queue, expiry and refresh, the cache bound, and
 * malformed packets. */
#include "run_suite.h"
#include "test_net_harness.h"

#include <unilab/errno.h>
#include "arp.h"
#include "ip.h"

static void setup(void)
{
	harness_init(true);
}

static size_t make_arp(uint8_t *f, uint16_t op, const uint8_t *sha,
                       uint32_t spa, const uint8_t *tha, uint32_t tpa,
                       const uint8_t *dst)
{
	size_t n = put_eth(f, dst, sha, 0x0806);
	uint8_t *a = f + n;
	wr16(a, 1);
	wr16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	wr16(a + 6, op);
	memcpy(a + 8, sha, 6);
	wr32(a + 14, spa);
	memcpy(a + 18, tha, 6);
	wr32(a + 24, tpa);
	return n + 28;
}

static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t zero[6];

/* Send a small UDP datagram to dst through the stack. */
static void send_to(uint32_t dst)
{
	struct pbuf *p = pbuf_alloc(PBUF_HEADROOM, 8);
	memset(p->data, 0, 8);
	ck_assert_int_eq(ip_output(p, 0, dst, IP_PROTO_UDP, -1), 0);
}

struct arp_seen {
	uint16_t op;
	uint32_t spa, tpa;
	const uint8_t *eth_dst, *tha;
};

static void expect_arp(struct arp_seen *s)
{
	const struct captured *c = next_frame();
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(rd16(c->data + 12), 0x0806);
	ck_assert_uint_ge(c->len, 14 + 28);
	const uint8_t *a = c->data + 14;
	ck_assert_mem_eq(a + 8, our_mac, 6);
	s->eth_dst = c->data;
	s->op = rd16(a + 6);
	s->spa = rd32(a + 14);
	s->tha = a + 18;
	s->tpa = rd32(a + 24);
}

START_TEST(request_for_us_is_answered_and_learnt)
{
	uint8_t f[64];
	inject(f, make_arp(f, 1, peer_mac, PEER_IP, zero, OUR_IP, bcast));
	struct arp_seen s;
	expect_arp(&s);
	ck_assert_uint_eq(s.op, 2);
	ck_assert_mem_eq(s.eth_dst, peer_mac, 6);
	ck_assert_mem_eq(s.tha, peer_mac, 6);
	ck_assert_uint_eq(s.spa, OUR_IP);
	ck_assert_uint_eq(s.tpa, PEER_IP);
	uint8_t mac[6];
	ck_assert_int_eq(arp_lookup(&test_if, PEER_IP, mac), 0);
	ck_assert_mem_eq(mac, peer_mac, 6);
}
END_TEST

START_TEST(request_for_someone_else_is_ignored)
{
	uint8_t f[64];
	inject(f, make_arp(f, 1, peer_mac, PEER_IP, zero, UL_IP(10, 0, 0, 9),
	                   bcast));
	ck_assert_uint_eq(frames_sent(), 0);
	uint8_t mac[6];
	ck_assert_int_eq(arp_lookup(&test_if, PEER_IP, mac), -UL_ENOENT);
}
END_TEST

START_TEST(resolution_queues_then_flushes)
{
	send_to(PEER_IP);
	send_to(PEER_IP);
	struct arp_seen s;
	expect_arp(&s);
	ck_assert_uint_eq(s.op, 1);
	ck_assert_mem_eq(s.eth_dst, bcast, 6);
	ck_assert_uint_eq(s.tpa, PEER_IP);
	ck_assert_uint_eq(frames_sent(), 0); /* one request, both held */
	uint8_t f[64];
	inject(f, make_arp(f, 2, peer_mac, PEER_IP, our_mac, OUR_IP, our_mac));
	ck_assert_uint_eq(frames_sent(), 2);
	for (int i = 0; i < 2; i++) {
		const struct captured *c = next_frame();
		ck_assert_mem_eq(c->data, peer_mac, 6);
		ck_assert_uint_eq(rd16(c->data + 12), 0x0800);
	}
}
END_TEST

START_TEST(off_link_goes_to_the_gateway)
{
	send_to(FAR_IP);
	struct arp_seen s;
	expect_arp(&s);
	ck_assert_uint_eq(s.tpa, PEER_IP); /* the gateway, not 192.0.2.7 */
}
END_TEST

START_TEST(unanswered_requests_are_retried_then_dropped)
{
	send_to(PEER_IP);
	struct arp_seen s;
	expect_arp(&s);
	advance(ARP_RETRY_NS - 1);
	ck_assert_uint_eq(frames_sent(), 0);
	advance(1);
	expect_arp(&s);
	advance(ARP_RETRY_NS);
	expect_arp(&s);
	ck_assert_uint_eq(frames_sent(), 0);
	advance(ARP_RETRY_NS);
	ck_assert_uint_eq(frames_sent(), 0);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.arp_timeout, 1);
	/* A late answer is not learnt: nobody asked any more. */
	uint8_t f[64];
	inject(f, make_arp(f, 2, peer_mac, PEER_IP, our_mac, UL_IP(1, 2, 3, 4),
	                   our_mac));
	uint8_t mac[6];
	ck_assert_int_eq(arp_lookup(&test_if, PEER_IP, mac), -UL_ENOENT);
}
END_TEST

START_TEST(pending_queue_is_bounded)
{
	for (int i = 0; i < ARP_PENDING_MAX + 5; i++)
		send_to(PEER_IP);
	clear_frames();
	uint8_t f[64];
	inject(f, make_arp(f, 2, peer_mac, PEER_IP, our_mac, OUR_IP, our_mac));
	ck_assert_uint_eq(frames_sent(), ARP_PENDING_MAX);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.arp_drop, 5);
}
END_TEST

START_TEST(entries_refresh_while_used_and_expire_when_not)
{
	learn_peer();
	send_to(PEER_IP);
	ck_assert_uint_eq(frames_sent(), 1); /* straight out, no request */
	clear_frames();
	advance(ARP_REACHABLE_NS / 2);
	send_to(PEER_IP);
	clear_frames();
	advance(ARP_REACHABLE_NS / 2);
	/* Used recently: it is asked for again, still in use meanwhile. */
	struct arp_seen s;
	expect_arp(&s);
	ck_assert_uint_eq(s.tpa, PEER_IP);
	ck_assert_mem_eq(s.eth_dst, bcast, 6);
	send_to(PEER_IP);
	const struct captured *c = next_frame();
	ck_assert_uint_eq(rd16(c->data + 12), 0x0800);
	uint8_t f[64];
	inject(f, make_arp(f, 2, peer_mac, PEER_IP, our_mac, OUR_IP, our_mac));
	/* Then unused for a lifetime: forgotten without a word. */
	clear_frames();
	advance(ARP_REACHABLE_NS + 1);
	ck_assert_uint_eq(frames_sent(), 0);
	uint8_t mac[6];
	ck_assert_int_eq(arp_lookup(&test_if, PEER_IP, mac), -UL_ENOENT);
}
END_TEST

START_TEST(cache_holds_a_bounded_number_of_addresses)
{
	uint8_t f[64], mac[6] = {0x02, 9, 9, 9, 0, 0};
	for (unsigned i = 0; i < 3 * ARP_ENTRIES; i++) {
		mac[5] = (uint8_t)i;
		mac[4] = (uint8_t)(i >> 8);
		inject(f, make_arp(f, 1, mac, UL_IP(10, 0, 1, 0) + i, zero,
		                   OUR_IP, bcast));
		advance(1000);
	}
	unsigned known = 0;
	for (unsigned i = 0; i < 3 * ARP_ENTRIES; i++)
		known += arp_lookup(&test_if, UL_IP(10, 0, 1, 0) + i, mac) == 0;
	ck_assert_uint_eq(known, ARP_ENTRIES);
	/* The newest are the ones kept. */
	ck_assert_int_eq(arp_lookup(&test_if,
	                            UL_IP(10, 0, 1, 0) + 3 * ARP_ENTRIES - 1,
	                            mac), 0);
}
END_TEST

/* Hosts we are talking to keep their entries: a new address is refused
 * while all are in use, and takes the least recently used once idle. */
START_TEST(entries_in_use_are_not_taken)
{
	uint8_t f[64], mac[6] = {0x02, 9, 9, 9, 0, 0};
	for (unsigned i = 0; i < ARP_ENTRIES; i++) {
		mac[5] = (uint8_t)i;
		inject(f, make_arp(f, 1, mac, UL_IP(10, 0, 0, 10) + i, zero,
		                   OUR_IP, bcast));
		send_to(UL_IP(10, 0, 0, 10) + i);
		advance(1000);
	}
	clear_frames();
	uint32_t newcomer = UL_IP(10, 0, 0, 250);
	struct pbuf *p = pbuf_alloc(PBUF_HEADROOM, 8);
	memset(p->data, 0, 8);
	ck_assert_int_eq(ip_output(p, 0, newcomer, IP_PROTO_UDP, -1),
	                 -UL_ENOMEM);
	ck_assert_uint_eq(frames_sent(), 0); /* not even a request */
	for (unsigned i = 0; i < ARP_ENTRIES; i++)
		ck_assert_int_eq(arp_lookup(&test_if, UL_IP(10, 0, 0, 10) + i,
		                            mac), 0);
	advance(ARP_IN_USE_NS);
	clear_frames();
	send_to(newcomer);
	struct arp_seen s;
	expect_arp(&s);
	ck_assert_uint_eq(s.tpa, newcomer);
	ck_assert_int_eq(arp_lookup(&test_if, UL_IP(10, 0, 0, 10), mac),
	                 -UL_ENOENT);
}
END_TEST

START_TEST(cache_size_is_checked)
{
	ck_assert_int_eq(arp_set_size(ARP_ENTRIES_MIN - 1), -UL_EINVAL);
	ck_assert_int_eq(arp_set_size(ARP_ENTRIES_MAX + 1), -UL_EINVAL);
	ck_assert_int_eq(arp_set_size(ARP_ENTRIES_MIN), 0);
	send_to(PEER_IP); /* the cache is made */
	ck_assert_int_eq(arp_set_size(ARP_ENTRIES_MIN + 1), -UL_EINVAL);
	ck_assert_int_eq(arp_set_size(ARP_ENTRIES_MIN), 0);
}
END_TEST

START_TEST(gratuitous_announcement)
{
	arp_announce(&test_if);
	struct arp_seen s;
	expect_arp(&s);
	ck_assert_uint_eq(s.op, 1);
	ck_assert_uint_eq(s.spa, OUR_IP);
	ck_assert_uint_eq(s.tpa, OUR_IP);
	ck_assert_mem_eq(s.eth_dst, bcast, 6);
}
END_TEST

START_TEST(malformed_packets_are_dropped)
{
	uint8_t f[64];
	size_t n = make_arp(f, 1, peer_mac, PEER_IP, zero, OUR_IP, bcast);
	inject(f, n - 1); /* short */
	f[14 + 5] = 16;   /* IPv6-sized protocol addresses */
	inject(f, n);
	n = make_arp(f, 7, peer_mac, PEER_IP, zero, OUR_IP, bcast); /* op */
	inject(f, n);
	static const uint8_t multicast[6] = {0x01, 0, 0x5e, 0, 0, 1};
	n = make_arp(f, 1, multicast, PEER_IP, zero, OUR_IP, bcast);
	inject(f, n);
	ck_assert_uint_eq(frames_sent(), 0);
	struct ul_net_stats st;
	ul_net_stats(&st);
	ck_assert_uint_eq(st.arp_drop, 4);
	/* Frames for another MAC never reach ARP. */
	static const uint8_t other[6] = {0x02, 7, 7, 7, 7, 7};
	n = make_arp(f, 1, peer_mac, PEER_IP, zero, OUR_IP, other);
	inject(f, n);
	ck_assert_uint_eq(frames_sent(), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("net_arp");
	TCase *tc = tcase_create("arp");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, request_for_us_is_answered_and_learnt);
	tcase_add_test(tc, request_for_someone_else_is_ignored);
	tcase_add_test(tc, resolution_queues_then_flushes);
	tcase_add_test(tc, off_link_goes_to_the_gateway);
	tcase_add_test(tc, unanswered_requests_are_retried_then_dropped);
	tcase_add_test(tc, pending_queue_is_bounded);
	tcase_add_test(tc, entries_refresh_while_used_and_expire_when_not);
	tcase_add_test(tc, cache_holds_a_bounded_number_of_addresses);
	tcase_add_test(tc, entries_in_use_are_not_taken);
	tcase_add_test(tc, cache_size_is_checked);
	tcase_add_test(tc, gratuitous_announcement);
	tcase_add_test(tc, malformed_packets_are_dropped);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
