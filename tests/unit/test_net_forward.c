/* Unit tests of forwarding (net/forward.c) through the one fake
 * interface: a datagram from the peer for a far address goes back out to
 * the gateway (the peer) with its TTL one less and a valid checksum; one
 * that cannot go gets the ICMP error that says why, from our address;
 * the filter sees, rewrites and drops; without forwarding, nothing is. */
#include "run_suite.h"
#include "test_net_harness.h"

#include <unilab/forward.h>

#define OTHER_IP PEER_IP /* the sender: on the link, so errors reach it
                          * even with no gateway */

static unsigned filtered;

static void setup(void)
{
	harness_init(true);
	learn_peer();
	clear_frames();
}

/* A UDP datagram from OTHER_IP to FAR_IP with ttl and the DF bit as
 * asked, payload bytes long, injected. */
static void send_far(unsigned ttl, bool df, size_t payload)
{
	uint8_t f[FRAME_MAX], body[1600] = {0};
	ck_assert_uint_le(payload + 8, sizeof body);
	wr16(body, 1111);
	wr16(body + 2, 2222);
	wr16(body + 4, (uint16_t)(8 + payload));
	size_t n = make_ip_frag(f, OTHER_IP, FAR_IP, 17, body, 8 + payload, 7,
	                        df ? 0x4000 : 0);
	uint8_t *h = f + 14;
	h[8] = (uint8_t)ttl;
	wr16(h + 10, 0);
	wr16(h + 10, csum(h, 20));
	inject(f, n);
}

/* The next frame: an ICMP error of type/code from OUR_IP to OTHER_IP
 * that quotes the datagram; its 4-byte word returned. */
static uint32_t expect_error(uint8_t type, uint8_t code)
{
	const struct captured *c = next_frame();
	ck_assert_ptr_nonnull(c);
	struct parsed p;
	parse_frame(c, &p);
	ck_assert_uint_eq(p.proto, 1);
	ck_assert_uint_eq(p.src, OUR_IP);
	ck_assert_uint_eq(p.dst, OTHER_IP);
	ck_assert_uint_eq(p.l4[0], type);
	ck_assert_uint_eq(p.l4[1], code);
	ck_assert_uint_eq(csum(p.l4, p.l4_len), 0);
	ck_assert_uint_eq(rd32(p.l4 + 8 + 12), OTHER_IP); /* the quote */
	ck_assert_uint_eq(rd32(p.l4 + 8 + 16), FAR_IP);
	return rd32(p.l4 + 4);
}

START_TEST(forwards_with_ttl_less)
{
	ul_forward_start(NULL);
	for (unsigned ttl = 2; ttl < 256; ttl += 31) {
		send_far(ttl, false, 100);
		const struct captured *c = next_frame();
		ck_assert_ptr_nonnull(c);
		ck_assert_mem_eq(c->data, peer_mac, 6); /* to the gateway */
		struct parsed p;
		parse_frame(c, &p); /* checks the header checksum */
		ck_assert_uint_eq(p.src, OTHER_IP);
		ck_assert_uint_eq(p.dst, FAR_IP);
		ck_assert_uint_eq(c->data[14 + 8], ttl - 1);
	}
	ck_assert_uint_eq(frames_sent(), 0);
	struct ul_fwd_stats st;
	ul_forward_stats(&st);
	ck_assert_uint_eq(st.forwarded, 9);
}
END_TEST

START_TEST(errors_from_our_address)
{
	ul_forward_start(NULL);
	send_far(1, false, 100);
	expect_error(11, 0); /* time exceeded in transit */
	test_if.mtu = 576;
	send_far(64, true, 600);
	ck_assert_uint_eq(expect_error(3, 4), 576); /* the next hop's MTU */
	send_far(64, false, 600); /* too big, no DF: lost, counted */
	ck_assert_uint_eq(frames_sent(), 0);
	net_gateway = 0;
	send_far(64, false, 10);
	expect_error(3, 0); /* net unreachable */
	struct ul_fwd_stats st;
	ul_forward_stats(&st);
	ck_assert_uint_eq(st.ttl_exceeded, 1);
	ck_assert_uint_eq(st.too_big, 2);
	ck_assert_uint_eq(st.no_route, 1);
	ck_assert_uint_eq(st.forwarded, 0);
}
END_TEST

START_TEST(no_error_about_an_error)
{
	ul_forward_start(NULL);
	uint8_t f[FRAME_MAX], icmp[36] = {3, 3};
	size_t n = make_ip_frag(f, OTHER_IP, FAR_IP, 1, icmp, sizeof icmp, 1, 0);
	f[14 + 8] = 1;
	wr16(f + 14 + 10, 0);
	wr16(f + 14 + 10, csum(f + 14, 20));
	inject(f, n);
	ck_assert_uint_eq(frames_sent(), 0);
}
END_TEST

static enum ul_fwd_verdict drop_odd_ports(struct ul_fwd_pkt *pk)
{
	filtered++;
	ck_assert_uint_eq(pk->in_if, 0);
	ck_assert_uint_eq(pk->hlen, 20);
	uint8_t *udp = pk->ip + pk->hlen;
	if (rd16(udp + 2) & 1)
		return UL_FWD_DROP;
	/* rewrite the source port, the UDP checksum kept right */
	uint16_t old = rd16(udp);
	wr16(udp, 4444);
	ul_csum_update16(udp + 6, old, 4444);
	return UL_FWD_PASS;
}

START_TEST(filter_rewrites_and_drops)
{
	ul_forward_start(drop_odd_ports);
	uint8_t f[FRAME_MAX];
	size_t n = make_udp(f, OTHER_IP, 1111, FAR_IP, 2222, "hello", 5);
	inject(f, n);
	const struct captured *c = next_frame();
	ck_assert_ptr_nonnull(c);
	struct parsed p;
	parse_frame(c, &p);
	ck_assert_uint_eq(rd16(p.l4), 4444);
	ck_assert_uint_eq(csum_finish(csum_add(csum_pseudo(p.src, p.dst, 17,
	                                       (uint16_t)p.l4_len),
	                              p.l4, p.l4_len)), 0);
	n = make_udp(f, OTHER_IP, 1111, FAR_IP, 2223, "hello", 5);
	inject(f, n);
	ck_assert_uint_eq(frames_sent(), 0);
	ck_assert_uint_eq(filtered, 2);
	struct ul_fwd_stats st;
	ul_forward_stats(&st);
	ck_assert_uint_eq(st.dropped, 1);
	ck_assert_int_eq(ul_forward_route(FAR_IP), 0);
	ck_assert_int_eq(ul_forward_route(OUR_IP), UL_FWD_SELF);
	ck_assert_int_eq(ul_forward_route(UL_IP(10, 0, 0, 255)), UL_FWD_SELF);
	net_gateway = 0;
	ck_assert_int_eq(ul_forward_route(FAR_IP), UL_FWD_NOROUTE);
}
END_TEST

START_TEST(off_by_default)
{
	send_far(64, false, 100);
	send_far(1, false, 100);
	ck_assert_uint_eq(frames_sent(), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("net_forward");
	TCase *tc = tcase_create("forward");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, forwards_with_ttl_less);
	tcase_add_test(tc, errors_from_our_address);
	tcase_add_test(tc, no_error_about_an_error);
	tcase_add_test(tc, filter_rewrites_and_drops);
	tcase_add_test(tc, off_by_default);
	suite_add_tcase(s, tc);
	return ul_run_suite(s);
}
